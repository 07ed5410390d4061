import { describe, expect, it } from "vitest";
import { progressPercent, sendUpload, uploadApiUrl, uploadErrorMessage, uploadHref, uploadPlan, type UploadPlan, type UploadRequest } from "./upload.ts";

describe("uploadPlan", () => {
  it("sends archives by Content-Type and model files by name", () => {
    expect(uploadPlan("dataset", "flowers.zip")).toEqual({ contentType: "application/zip", filename: null });
    expect(uploadPlan("dataset", "flowers.TAR.GZ")).toEqual({ contentType: "application/gzip", filename: null });
    expect(uploadPlan("dataset", "flowers.tgz")).toEqual({ contentType: "application/gzip", filename: null });
    expect(uploadPlan("dataset", "flowers.tar")).toEqual({ contentType: "application/x-tar", filename: null });
    expect(uploadPlan("architecture", "my net (v2).onnx")).toEqual({ contentType: "application/octet-stream", filename: "my net _v2_.onnx" });
    expect(uploadPlan("architecture", "mobilenet.tflite")).toMatchObject({ filename: "mobilenet.tflite" });
  });

  it("refuses other files with the rule", () => {
    expect(uploadPlan("dataset", "flowers.rar")).toEqual({ error: "file: must be a .zip, .tar, .tar.gz or .tgz archive" });
    expect(uploadPlan("dataset", "model.onnx")).toHaveProperty("error");
    expect(uploadPlan("architecture", "flowers.zip")).toEqual({ error: "file: must be an .onnx or .tflite model" });
  });
});

describe("upload URLs", () => {
  it("puts the team and a model's name in the query, and keeps it for the API", () => {
    const plan: UploadPlan = { contentType: "application/octet-stream", filename: "a b.onnx" };
    const href = uploadHref("t-1", plan);
    expect(href).toBe("/api/uploads?teamId=t-1&filename=a+b.onnx");
    expect(uploadApiUrl("http://api:4000/graphql", new URL(href, "http://web").search)).toBe("http://api:4000/uploads?teamId=t-1&filename=a+b.onnx");
    expect(uploadHref("t-1", { contentType: "application/zip", filename: null })).toBe("/api/uploads?teamId=t-1");
  });
});

describe("progress and errors", () => {
  it("rounds progress down to whole percent, 0 with an unknown total", () => {
    expect([progressPercent(0, 200), progressPercent(1, 3), progressPercent(199, 200), progressPercent(200, 200), progressPercent(5, 0)]).toEqual([
      0, 33, 99, 100, 0,
    ]);
  });

  it("names the field and rule of the API's refusal", () => {
    expect(uploadErrorMessage(400, { error: { code: "BAD_USER_INPUT", field: "body", rule: "an archive may hold at most 20 files" } })).toBe(
      "body: an archive may hold at most 20 files",
    );
    expect(uploadErrorMessage(401, { error: "not signed in" })).toBe("not signed in");
    expect(uploadErrorMessage(502, null)).toBe("upload failed (HTTP 502)");
  });
});

/** Plays an XMLHttpRequest: progress events as given, then the answer. */
function fakeRequest(progress: Array<[number, number]>, status: number, responseText: string) {
  const sent: { method?: string; url?: string; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const request = {
    upload: { onprogress: null as ((event: { loaded: number; total: number }) => void) | null },
    onload: null as (() => void) | null,
    onerror: null as (() => void) | null,
    status,
    responseText,
    open: (method: string, url: string) => Object.assign(sent, { method, url }),
    setRequestHeader: (name: string, value: string) => void (sent.headers[name] = value),
    send(body: unknown) {
      sent.body = body;
      for (const [loaded, total] of progress) request.upload.onprogress?.({ loaded, total });
      if (status === 0) request.onerror?.();
      else request.onload?.();
    },
  };
  return { request: request as unknown as UploadRequest, sent };
}

describe("sendUpload", () => {
  const plan: UploadPlan = { contentType: "application/zip", filename: null };
  const body = new Blob(["zip bytes"]);

  it("posts the body with its Content-Type, reports progress and returns the upload", async () => {
    const { request, sent } = fakeRequest(
      [
        [0, 400],
        [100, 400],
        [400, 400],
      ],
      201,
      JSON.stringify({ uploadId: "u-1", files: 3, bytes: 400 }),
    );
    const seen: number[] = [];
    await expect(sendUpload(request, "/api/uploads?teamId=t", plan, body, (percent) => seen.push(percent))).resolves.toEqual({
      uploadId: "u-1",
      files: 3,
      bytes: 400,
    });
    expect(sent).toEqual({ method: "POST", url: "/api/uploads?teamId=t", headers: { "content-type": "application/zip" }, body });
    expect(seen).toEqual([0, 25, 100, 100]);
  });

  it("rejects with the API's field and rule, or a lost connection", async () => {
    const refused = fakeRequest([[10, 10]], 400, JSON.stringify({ error: { field: "body", rule: "entry \"../x\": a path must not hold '..'" } }));
    await expect(sendUpload(refused.request, "/u", plan, body, () => {})).rejects.toThrow("body: entry \"../x\": a path must not hold '..'");
    const lost = fakeRequest([], 0, "");
    await expect(sendUpload(lost.request, "/u", plan, body, () => {})).rejects.toThrow("the connection was lost");
    const garbled = fakeRequest([], 502, "<html>bad gateway</html>");
    await expect(sendUpload(garbled.request, "/u", plan, body, () => {})).rejects.toThrow("upload failed (HTTP 502)");
  });
});
