/** The public entries of the package's exports map resolve and carry the segmentation API. */
import { describe, expect, it } from "vitest";

describe("exports map", () => {
  it("exposes @runboard/trainer/data/segmentation and @runboard/trainer/segmentation", async () => {
    const data = await import("@runboard/trainer/data/segmentation");
    expect(typeof data.readSegmentationFolder).toBe("function");
    expect(typeof data.readSegmentationCsv).toBe("function");
    expect(typeof data.preparePair).toBe("function");
    expect(data.camvidClasses.ignoreIndex).toBe(11);
    const segmentation = await import("@runboard/trainer/segmentation");
    expect(typeof segmentation.emitSegmentationLoss).toBe("function");
    expect(typeof segmentation.PixelConfusion).toBe("function");
    expect(typeof segmentation.createSegmenter).toBe("function");
    expect(typeof segmentation.segmentationLearnerData).toBe("function");
    expect(typeof segmentation.interpretSegmentation).toBe("function");
    const exported = await import("@runboard/trainer/export");
    expect(typeof exported.exportSegmentationModel).toBe("function");
    expect(typeof exported.SegmentationPredictor).toBe("function");
    expect(exported.SEGMENTATION_METADATA_FORMAT).toBe("runboard.image-segmenter/1");
    const models = await import("@runboard/trainer/models");
    expect(models.createSegmenter).toBe(segmentation.createSegmenter);
    const learner = await import("@runboard/trainer/learner");
    expect(typeof learner.segmentationCollector).toBe("function");
  });
});
