/**
 * Uploading a dataset archive or a model file from the browser: what to send for a file, the
 * XMLHttpRequest that reports upload progress (fetch cannot), and the API's refusal as a message.
 */
export type UploadTarget = "dataset" | "architecture";

export interface UploadPlan {
  contentType: string;
  /** Model files travel with their name (?filename=); archives are told by their Content-Type. */
  filename: string | null;
}

const ARCHIVES: Array<[RegExp, string]> = [
  [/\.zip$/i, "application/zip"],
  [/\.(tar\.gz|tgz)$/i, "application/gzip"],
  [/\.tar$/i, "application/x-tar"],
];

/** The Content-Type (and filename) for a chosen file, or an error message naming the rule. */
export function uploadPlan(target: UploadTarget, fileName: string): UploadPlan | { error: string } {
  if (target === "architecture") {
    return /\.(onnx|tflite)$/i.test(fileName)
      ? { contentType: "application/octet-stream", filename: fileName.replace(/[^\w.\- ]/g, "_") }
      : { error: "file: must be an .onnx or .tflite model" };
  }
  const archive = ARCHIVES.find(([pattern]) => pattern.test(fileName));
  return archive === undefined ? { error: "file: must be a .zip, .tar, .tar.gz or .tgz archive" } : { contentType: archive[1], filename: null };
}

/** The web app's upload proxy (/api/uploads), which streams the body on to the API. */
export function uploadHref(teamId: string, plan: UploadPlan): string {
  const query = new URLSearchParams({ teamId, ...(plan.filename === null ? {} : { filename: plan.filename }) });
  return `/api/uploads?${query}`;
}

/** The API's upload route beside its GraphQL endpoint, with the same query. */
export function uploadApiUrl(apiUrl: string, search: string): string {
  const url = new URL("/uploads", apiUrl);
  url.search = search;
  return url.toString();
}

/** Whole percent, 0 while the total is unknown. */
export function progressPercent(loaded: number, total: number): number {
  return total > 0 ? Math.min(100, Math.floor((loaded / total) * 100)) : 0;
}

export interface UploadAnswer {
  uploadId: string;
  files: number;
  bytes: number;
}

/** `{"error": {field, rule}}` or `{"error": "..."}` from the API or the proxy, as one line. */
export function uploadErrorMessage(status: number, body: unknown): string {
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === "string") return error;
  const { field, rule, message } = (error ?? {}) as { field?: string; rule?: string; message?: string };
  if (field !== undefined && rule !== undefined) return `${field}: ${rule}`;
  return message ?? `upload failed (HTTP ${status})`;
}

/** The parts of XMLHttpRequest an upload uses. */
export type UploadRequest = Pick<XMLHttpRequest, "upload" | "onload" | "onerror" | "status" | "responseText" | "open" | "setRequestHeader" | "send">;

export function sendUpload(request: UploadRequest, url: string, plan: UploadPlan, body: Blob, onProgress: (percent: number) => void): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    request.upload.onprogress = (event) => onProgress(progressPercent(event.loaded, event.total));
    request.onerror = () => reject(new Error("upload failed: the connection was lost"));
    request.onload = () => {
      let answer: unknown = null;
      try {
        answer = JSON.parse(request.responseText);
      } catch {
        // not JSON: reported by status below
      }
      if (request.status === 201 && typeof (answer as UploadAnswer | null)?.uploadId === "string") {
        onProgress(100);
        resolve(answer as UploadAnswer);
      } else reject(new Error(uploadErrorMessage(request.status, answer)));
    };
    request.open("POST", url);
    request.setRequestHeader("content-type", plan.contentType);
    request.send(body);
  });
}
