/** Segmentation models on pretrained backbones: the encoder cut at its stages and a U-Net-style decoder (fastai's unet_learner) or LR-ASPP. */
export {
  appendLrasppDecoder,
  appendUnetDecoder,
  type DecoderOptions,
  defaultDecoderChannels,
  resizeScale,
  type ResolvedDecoderOptions,
  resolveDecoderOptions,
  type Upsampling,
} from "./decoder.ts";
export { createSegmenter, type DecoderKind, SEGMENTER_OUTPUT, type Segmenter, type SegmenterOptions } from "./segmenter.ts";
