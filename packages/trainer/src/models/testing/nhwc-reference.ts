/**
 * Plain-loop NHWC reference ops (TensorFlow semantics) for checking importers: whatever
 * layout and padding tricks an importer uses, its ONNX graph must agree with these.
 */

export interface Nhwc {
  data: Float32Array;
  shape: [number, number, number, number];
}

export interface Window {
  kernel: [number, number];
  stride: [number, number];
  /** [top, left, bottom, right] */
  pads: [number, number, number, number];
}

function at(x: Nhwc, n: number, h: number, w: number, c: number): number | undefined {
  const [, H, W, C] = x.shape;
  if (h < 0 || w < 0 || h >= H || w >= W) return undefined;
  return x.data[((n * H + h) * W + w) * C + c];
}

function outputSize(x: Nhwc, win: Window): [number, number] {
  const [, H, W] = x.shape;
  return [
    Math.floor((H + win.pads[0] + win.pads[2] - win.kernel[0]) / win.stride[0]) + 1,
    Math.floor((W + win.pads[1] + win.pads[3] - win.kernel[1]) / win.stride[1]) + 1,
  ];
}

/**
 * Convolution with a kernel [O, kh, kw, I/groups] (TFLite CONV_2D) or, with `depthwise`,
 * a kernel [1, kh, kw, C·M] where output channel o reads input channel floor(o / M).
 */
export function conv(x: Nhwc, kernel: Float32Array, outChannels: number, bias: Float32Array | undefined, win: Window, depthwise: boolean): Nhwc {
  const [N, , , C] = x.shape;
  const [OH, OW] = outputSize(x, win);
  const [kh, kw] = win.kernel;
  const multiplier = outChannels / C;
  const out = new Float32Array(N * OH * OW * outChannels);
  let k = 0;
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let o = 0; o < outChannels; o++) {
          let sum = bias?.[o] ?? 0;
          for (let i = 0; i < kh; i++)
            for (let j = 0; j < kw; j++) {
              const h = oh * win.stride[0] - win.pads[0] + i;
              const w = ow * win.stride[1] - win.pads[1] + j;
              if (depthwise) {
                sum += (at(x, n, h, w, Math.floor(o / multiplier)) ?? 0) * (kernel[(i * kw + j) * outChannels + o] ?? 0);
              } else {
                for (let c = 0; c < C; c++) sum += (at(x, n, h, w, c) ?? 0) * (kernel[((o * kh + i) * kw + j) * C + c] ?? 0);
              }
            }
          out[k++] = sum;
        }
  return { data: out, shape: [N, OH, OW, outChannels] };
}

/** Max or average pooling; the average counts only pixels inside the image (TF's SAME). */
export function pool(x: Nhwc, win: Window, kind: "max" | "average"): Nhwc {
  const [N, , , C] = x.shape;
  const [OH, OW] = outputSize(x, win);
  const out = new Float32Array(N * OH * OW * C);
  let k = 0;
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let sum = 0;
          let count = 0;
          for (let i = 0; i < win.kernel[0]; i++)
            for (let j = 0; j < win.kernel[1]; j++) {
              const v = at(x, n, oh * win.stride[0] - win.pads[0] + i, ow * win.stride[1] - win.pads[1] + j, c);
              if (v === undefined) continue;
              best = Math.max(best, v);
              sum += v;
              count++;
            }
          out[k++] = kind === "max" ? best : sum / count;
        }
  return { data: out, shape: [N, OH, OW, C] };
}

export function pad(x: Nhwc, top: number, bottom: number, left: number, right: number): Nhwc {
  const [N, H, W, C] = x.shape;
  const shape: Nhwc["shape"] = [N, H + top + bottom, W + left + right, C];
  const out = new Float32Array(shape[0] * shape[1] * shape[2] * C);
  let k = 0;
  for (let n = 0; n < N; n++)
    for (let h = 0; h < shape[1]; h++)
      for (let w = 0; w < shape[2]; w++)
        for (let c = 0; c < C; c++) {
          out[k++] = at(x, n, h - top, w - left, c) ?? 0;
        }
  return { data: out, shape };
}

/** Concatenation along channels. */
export function concatChannels(a: Nhwc, b: Nhwc): Nhwc {
  const [N, H, W, CA] = a.shape;
  const CB = b.shape[3];
  const out = new Float32Array(N * H * W * (CA + CB));
  for (let p = 0; p < N * H * W; p++) {
    out.set(a.data.subarray(p * CA, (p + 1) * CA), p * (CA + CB));
    out.set(b.data.subarray(p * CB, (p + 1) * CB), p * (CA + CB) + CA);
  }
  return { data: out, shape: [N, H, W, CA + CB] };
}

export function meanSpatial(x: Nhwc): Float32Array {
  const [N, H, W, C] = x.shape;
  const out = new Float32Array(N * C);
  for (let n = 0; n < N; n++)
    for (let p = 0; p < H * W; p++)
      for (let c = 0; c < C; c++) {
        out[n * C + c] = (out[n * C + c] ?? 0) + (x.data[(n * H * W + p) * C + c] ?? 0) / (H * W);
      }
  return out;
}

/** y = x Wᵀ + b for x [rows, features] and W [units, features]. */
export function fullyConnected(x: Float32Array, rows: number, weight: Float32Array, units: number, bias: Float32Array): Float32Array {
  const features = x.length / rows;
  const out = new Float32Array(rows * units);
  for (let r = 0; r < rows; r++)
    for (let u = 0; u < units; u++) {
      let sum = bias[u] ?? 0;
      for (let f = 0; f < features; f++) sum += (x[r * features + f] ?? 0) * (weight[u * features + f] ?? 0);
      out[r * units + u] = sum;
    }
  return out;
}

export function softmaxRows(x: Float32Array, columns: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < x.length / columns; r++) {
    const row = x.subarray(r * columns, (r + 1) * columns);
    const max = Math.max(...row);
    const exps = Array.from(row, (v) => Math.exp(v - max));
    const total = exps.reduce((s, v) => s + v, 0);
    exps.forEach((v, c) => (out[r * columns + c] = v / total));
  }
  return out;
}

export function clamp(x: Nhwc, min: number, max: number): Nhwc {
  return { data: x.data.map((v) => Math.min(max, Math.max(min, v))), shape: x.shape };
}
