// An SSE answer to a streaming request goes down the stream path; anything else (JSON, and
// error answers to streaming requests, which come as JSON) down the JSON path.
import { jsonAnswer } from './answer-json';
import { streamAnswer } from './answer-stream';
import type { Exchange } from './exchange';
import type { StreamReader } from './providers/types';
import type { UpstreamDeadline } from './upstream';

export function answerOrStream(ex: Exchange, res: Response, deadline: UpstreamDeadline, reader: StreamReader | undefined): Promise<Response> | Response {
  const isEventStream = (res.headers.get('content-type') ?? '').toLowerCase().includes('text/event-stream');
  if (reader && res.ok && res.body && isEventStream) {
    deadline.restart();
    return streamAnswer(ex, res, reader, deadline);
  }
  return jsonAnswer(ex, res, deadline);
}
