/**
 * POST /uploads?teamId=<id>[&filename=<name>.onnx|.tflite]: a dataset archive (zip, tar,
 * tar.gz) or a model file, streamed to disk and extracted safely (uploads/). Bearer token as for
 * GraphQL; the caller needs dataset:write (archives) or architecture:write (model files) in the
 * team. Answers 201 with the uploadId that importDataset/importArchitecture take.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { badInput } from "@runboard/db";
import { GraphQLError } from "graphql";
import { authorize } from "../services/permissions.ts";
import { authenticate } from "../services/viewer.ts";
import { storeUpload, uploadFormat } from "../uploads/store.ts";
import { id } from "../validation.ts";
import type { ContextDeps } from "./context.ts";

export const UPLOAD_ROUTE = "/uploads";

const STATUS_BY_CODE: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/** A body not read to its end is not drained (it may be huge): the connection closes after the answer. */
function sendRefusal(request: IncomingMessage, response: ServerResponse, status: number, error: GraphQLError): void {
  const { code, field, rule, permission } = error.extensions;
  const unread = !request.complete;
  send(response, status, { error: { code, message: error.message, field, rule, permission } }, unread ? { connection: "close" } : {});
  if (unread) response.on("finish", () => request.destroy());
}

async function acceptUpload(deps: ContextDeps, request: IncomingMessage, url: URL) {
  const caller = await authenticate(deps.db, request.headers.authorization);
  const teamId = url.searchParams.get("teamId") ?? "";
  if (!id.safeParse(teamId).success) throw badInput("teamId", "must be a UUID (query parameter)");
  const filename = url.searchParams.get("filename");
  const format = uploadFormat(request.headers["content-type"], filename);
  authorize(caller, teamId, format === "model" ? "architecture:write" : "dataset:write", { kind: "team", id: teamId });
  const limits = deps.launch.uploadLimits;
  const declared = Number(request.headers["content-length"] ?? "0");
  if (declared > limits.maxUploadBytes) throw badInput("body", `an upload may be at most ${limits.maxUploadBytes} bytes; Content-Length says ${declared}`);
  return storeUpload(request, { artifactRoot: deps.launch.artifactRoot, teamId, format, filename }, deps.launch.uploadLimits);
}

export async function serveUploadRoute(deps: ContextDeps, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  if (request.method !== "POST") {
    send(response, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "use POST" } }, { allow: "POST" });
    return;
  }
  try {
    send(response, 201, await acceptUpload(deps, request, url));
  } catch (error) {
    const code = error instanceof GraphQLError ? error.extensions.code : undefined;
    const status = typeof code === "string" ? STATUS_BY_CODE[code] : undefined;
    if (!(error instanceof GraphQLError) || status === undefined) {
      if (!request.complete) response.setHeader("connection", "close");
      throw error;
    }
    const tooLarge = String(error.extensions.rule).startsWith("an upload may be at most");
    sendRefusal(request, response, tooLarge ? 413 : status, error);
  }
}
