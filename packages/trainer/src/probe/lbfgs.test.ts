import { describe, expect, it } from "vitest";
import { type LinePoint, type LineProblem, maxAbs, minimizeLbfgs, strongWolfe } from "./lbfgs.ts";

/** A LineProblem over an explicit function (no line tricks): φ(t) evaluates f at x + t·p. */
class Explicit implements LineProblem {
  readonly x: Float64Array;
  private direction = new Float64Array(0);

  constructor(
    private readonly f: (x: Float64Array) => { value: number; gradient: Float64Array },
    start: number[],
  ) {
    this.x = Float64Array.from(start);
  }

  get size(): number {
    return this.x.length;
  }

  at(t: number): { value: number; gradient: Float64Array } {
    return this.f(this.x.map((v, i) => v + t * (this.direction[i] ?? 0)));
  }

  async line(direction: Float64Array): Promise<(t: number) => LinePoint> {
    this.direction = direction.slice();
    return (t) => {
      const { value, gradient } = this.at(t);
      let slope = 0;
      gradient.forEach((g, i) => (slope += g * (this.direction[i] as number)));
      return { value, slope };
    };
  }

  async step(t: number): Promise<Float64Array> {
    const gradient = this.at(t).gradient;
    this.x.set(this.x.map((v, i) => v + t * (this.direction[i] as number)));
    return gradient;
  }
}

const rosenbrock = (x: Float64Array) => {
  const [a, b] = [x[0] as number, x[1] as number];
  return { value: (1 - a) ** 2 + 100 * (b - a * a) ** 2, gradient: Float64Array.of(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)) };
};

/** ½ Σ cᵢ (xᵢ − 1)², curvatures spread over four decades. */
const quadratic = (curvatures: number[]) => (x: Float64Array) => {
  let value = 0;
  const gradient = new Float64Array(x.length);
  curvatures.forEach((c, i) => {
    const d = (x[i] as number) - 1;
    value += 0.5 * c * d * d;
    gradient[i] = c * d;
  });
  return { value, gradient };
};

async function minimize(problem: Explicit, tolerance: number, maxIterations = 500) {
  const start = problem.at(0);
  return minimizeLbfgs(problem, start.value, start.gradient, {
    maxIterations,
    gradientTolerance: tolerance,
    gradientScale: maxAbs(start.gradient),
    lossTolerance: 0,
  });
}

describe("minimizeLbfgs", () => {
  it("finds Rosenbrock's minimum from the classic start", async () => {
    const problem = new Explicit(rosenbrock, [-1.2, 1]);
    const result = await minimize(problem, 1e-10);
    expect(result.converged).toBe(true);
    expect(result.reason).toBe("gradient");
    expect(problem.x[0]).toBeCloseTo(1, 6);
    expect(problem.x[1]).toBeCloseTo(1, 6);
    expect(result.iterations).toBeLessThan(100);
  });

  it("solves an ill-conditioned quadratic as fast as a reference L-BFGS", async () => {
    // Curvatures 1 … 1000; scipy's L-BFGS-B (maxcor 10) needs 157 iterations for this tolerance.
    const curvatures = Array.from({ length: 50 }, (_, i) => 10 ** ((3 * i) / 49));
    const problem = new Explicit(quadratic(curvatures), new Array(50).fill(0));
    const result = await minimize(problem, 1e-6);
    expect(result.converged).toBe(true);
    for (const v of problem.x) expect(v).toBeCloseTo(1, 2);
    expect(result.iterations).toBeLessThan(200);
  });

  it("stops at maxIterations without claiming convergence", async () => {
    const problem = new Explicit(rosenbrock, [-1.2, 1]);
    const result = await minimize(problem, 1e-12, 3);
    expect(result).toMatchObject({ iterations: 3, converged: false, reason: "maxIterations" });
  });

  it("honours an aborted signal", async () => {
    const problem = new Explicit(rosenbrock, [-1.2, 1]);
    const start = problem.at(0);
    const controller = new AbortController();
    controller.abort();
    const options = { maxIterations: 100, gradientTolerance: 1e-8, gradientScale: 1, lossTolerance: 0, signal: controller.signal };
    await expect(minimizeLbfgs(problem, start.value, start.gradient, options)).rejects.toThrow(/abort/i);
  });
});

describe("strongWolfe", () => {
  it("returns a step meeting sufficient decrease and the curvature condition", () => {
    // φ(t) = (t − 3)² − 9 + t⁴/100: minimum near t ≈ 2.6; start far too short and far too long.
    const phi = (t: number) => ({ value: (t - 3) ** 2 - 9 + t ** 4 / 100, slope: 2 * (t - 3) + t ** 3 / 25 });
    for (const t0 of [1e-3, 1, 50]) {
      const found = strongWolfe(phi, phi(0).value, phi(0).slope, t0);
      expect(found).toBeDefined();
      const { t, value } = found!;
      expect(value).toBeLessThanOrEqual(phi(0).value + 1e-4 * t * phi(0).slope);
      expect(Math.abs(phi(t).slope)).toBeLessThanOrEqual(0.9 * Math.abs(phi(0).slope));
    }
  });

  it("gives up when the function cannot decrease along the direction", () => {
    const phi = (t: number) => ({ value: t * t, slope: 2 * t });
    // A claimed negative slope that the function does not have (round-off at a minimum).
    expect(strongWolfe(phi, 0, -1e-30, 1)).toBeUndefined();
  });
});
