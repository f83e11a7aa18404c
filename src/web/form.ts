// Request bodies of forms: application/x-www-form-urlencoded and multipart/form-data (file
// uploads, e.g. OPML), read up to a limit. Parsed once, before the CSRF check, and handed to
// the route.
import type { IncomingMessage } from 'node:http';
import { HttpError } from './pages.ts';

export interface UploadedFile {
  field: string;
  filename: string;
  type: string;
  data: Buffer;
}

export interface RequestForm {
  fields: URLSearchParams;
  files: UploadedFile[];
}

export const EMPTY_FORM: RequestForm = { fields: new URLSearchParams(), files: [] };

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, `The form is larger than ${Math.round(limit / 1024)} KiB.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw new HttpError(413, `The form is larger than ${Math.round(limit / 1024)} KiB.`);
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

export function parseMultipart(body: Buffer, boundary: string): RequestForm {
  const fields = new URLSearchParams();
  const files: UploadedFile[] = [];
  const delim = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delim);
  while (pos !== -1) {
    let start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delim, start);
    if (next === -1) break;
    const part = body.subarray(start, next - 2 >= start ? next - 2 : next);
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd !== -1) {
      const head = part.subarray(0, headEnd).toString('utf8');
      const data = part.subarray(headEnd + 4);
      const disp = /content-disposition:[^\r\n]*?\bname="([^"]*)"(?:[^\r\n]*?\bfilename="([^"]*)")?/i.exec(head);
      const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1].trim() ?? 'application/octet-stream';
      if (disp) {
        if (disp[2] !== undefined) files.push({ field: disp[1], filename: disp[2], type, data: Buffer.from(data) });
        else fields.append(disp[1], data.toString('utf8'));
      }
    }
    pos = next;
  }
  return { fields, files };
}

/** Reads and parses a form body (urlencoded or multipart); other types give an empty form. */
export async function readForm(req: IncomingMessage, limit = 2 * 1024 * 1024): Promise<RequestForm> {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  const body = await readBody(req, limit);
  if (type.startsWith('application/x-www-form-urlencoded')) return { fields: new URLSearchParams(body.toString('utf8')), files: [] };
  const b = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^\s;]+))/i.exec(String(req.headers['content-type'] ?? ''));
  if (b) return parseMultipart(body, b[1] ?? b[2]);
  return { fields: new URLSearchParams(), files: [] };
}
