// Malformed form bodies end at the edge with a 400 instead of Next.js's 500.
//
// Next.js parses a multipart POST to a page as a form submission (a server
// action without JavaScript, or with it when the arguments are FormData) and
// answers 500 when the body is not valid multipart — bad input, which must
// get a clear 4xx (docs/design.md). server.ts reads such a body here (up to a
// limit), checks that it parses with the same parser Next.js uses (the
// platform's Response#formData), and hands Next.js a request carrying the
// same bytes.
import { IncomingMessage, type ServerResponse } from "node:http";

/** Next.js's own default limit for server action bodies is 1 MB; a little more, so its limit speaks first. */
export const MAX_FORM_BYTES = 1_048_576 + 65_536;

export function isMultipart(contentType: string | undefined): boolean {
  return typeof contentType === "string" && /^\s*multipart\/form-data\b/i.test(contentType);
}

function refuse(res: ServerResponse, status: 400 | 413, message: string) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", Connection: "close" });
  res.end(`${message}\n`);
}

/**
 * Reads and checks a multipart body. Answers the request itself (400, 413)
 * and resolves null when it is refused; otherwise resolves a request that
 * replays the body, for the next handler.
 */
export async function checkMultipart(req: IncomingMessage, res: ServerResponse, limit = MAX_FORM_BYTES): Promise<IncomingMessage | null> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    refuse(res, 413, "The form is too large.");
    req.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        refuse(res, 413, "The form is too large.");
        req.resume();
        return null;
      }
      chunks.push(chunk as Buffer);
    }
  } catch {
    // The client went away mid-body: nobody to answer.
    res.destroy();
    return null;
  }
  const body = Buffer.concat(chunks);
  try {
    await new Response(body, { headers: { "content-type": req.headers["content-type"]! } }).formData();
  } catch {
    refuse(res, 400, "The form could not be read. Reload the page and send it again.");
    return null;
  }
  return replay(req, body);
}

/** A request with the original's method, URL, headers and socket, whose body is `body`. */
function replay(original: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(original.socket);
  copy.method = original.method;
  copy.url = original.url;
  copy.headers = original.headers;
  copy.rawHeaders = original.rawHeaders;
  copy.httpVersion = original.httpVersion;
  copy.httpVersionMajor = original.httpVersionMajor;
  copy.httpVersionMinor = original.httpVersionMinor;
  copy.push(body);
  copy.push(null);
  copy.complete = true;
  return copy;
}
