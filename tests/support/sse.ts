// A Server-Sent-Events client over fetch, as a browser's EventSource sees the
// stream: reads the body as it arrives and parses `id:`/`event:`/`data:` frames.
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

export interface SseClient {
  /** Resolves when the stream ends (server closed it, or close() was called). */
  done: Promise<void>;
  close(): void;
}

/**
 * Hands every complete frame at the start of `buffer` to `onMessage` (frames
 * without data are skipped) and returns what is left: the start of a frame
 * still arriving.
 */
export function takeSseFrames(buffer: string, onMessage: (message: SseMessage) => void): string {
  let end: number;
  while ((end = buffer.indexOf("\n\n")) >= 0) {
    const block = buffer.slice(0, end);
    buffer = buffer.slice(end + 2);
    let id: string | null = null;
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length) onMessage({ id, event, data: data.join("\n") });
  }
  return buffer;
}

export async function openSse(url: string, onMessage: (message: SseMessage) => void, options: { lastEventId?: string } = {}): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { Accept: "text/event-stream", ...(options.lastEventId ? { "Last-Event-ID": options.lastEventId } : {}) },
    signal: abort.signal,
  });
  if (!response.ok || !response.body) throw new Error(`SSE ${url}: HTTP ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const done = (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer = takeSseFrames(buffer + value, onMessage);
      }
    } catch {
      // aborted, or the server went away
    }
  })();
  return { done, close: () => abort.abort() };
}
