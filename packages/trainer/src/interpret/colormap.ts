/** Colour maps for heat maps: value in [0, 1] → 8-bit RGB, by linear interpolation between stops. */

export type ColormapName = "viridis" | "jet" | "blues";

type Stop = [number, number, number];

// Sampled at equal steps from matplotlib's maps; 9 stops are within a few levels of the full tables.
const STOPS: Record<ColormapName, Stop[]> = {
  viridis: [
    [68, 1, 84],
    [71, 44, 122],
    [59, 81, 139],
    [44, 113, 142],
    [33, 144, 141],
    [39, 173, 129],
    [92, 200, 99],
    [170, 220, 50],
    [253, 231, 37],
  ],
  jet: [
    [0, 0, 128],
    [0, 0, 255],
    [0, 128, 255],
    [0, 255, 255],
    [128, 255, 128],
    [255, 255, 0],
    [255, 128, 0],
    [255, 0, 0],
    [128, 0, 0],
  ],
  blues: [
    [247, 251, 255],
    [222, 235, 247],
    [198, 219, 239],
    [158, 202, 225],
    [107, 174, 214],
    [66, 146, 198],
    [33, 113, 181],
    [8, 81, 156],
    [8, 48, 107],
  ],
};

export function isColormap(name: string): name is ColormapName {
  return Object.hasOwn(STOPS, name);
}

/** Writes the colour of `value` (clamped to [0, 1]) into `out` at `offset`. */
export function colorAt(name: ColormapName, value: number, out: Uint8Array | number[], offset = 0): void {
  const stops = STOPS[name];
  const v = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
  const position = v * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(position));
  const t = position - i;
  const [a, b] = [stops[i]!, stops[i + 1]!];
  for (let c = 0; c < 3; c++) out[offset + c] = Math.round(a[c]! + (b[c]! - a[c]!) * t);
}

export function cssColor(name: ColormapName, value: number): string {
  const rgb = [0, 0, 0];
  colorAt(name, value, rgb);
  return `rgb(${rgb.join(",")})`;
}
