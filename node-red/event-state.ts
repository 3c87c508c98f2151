// What an mv events node keeps across restarts and redeploys, in a file of its own under
// the user directory beside the account's token store: the CloudEvent ids already sent
// (Event Grid delivers at least once, also after a restart) and which subscription it made,
// so a changed Public URL removes the old one. The webhook URL itself is not written (it
// carries the secret): only its hash, to tell whether it changed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EventIdWindow } from '../core';

export interface SubscriptionRecord {
  id: string;
  urlHash: string;
}

export const urlHash = (url: string): string => createHash('sha256').update(`mediavalet-events:${url}`).digest('base64url');

export class EventState {
  readonly window: EventIdWindow;
  subscription?: SubscriptionRecord;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {
    let saved: { ids?: unknown; subscription?: SubscriptionRecord } = {};
    try {
      saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      // No file yet, or a damaged one: start with an empty window.
    }
    this.window = new EventIdWindow(saved.ids);
    if (typeof saved.subscription?.id === 'string' && typeof saved.subscription.urlHash === 'string') this.subscription = saved.subscription;
  }

  static forNode(dir: string, nodeId: string): EventState {
    return new EventState(path.join(dir, `events-${nodeId.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`));
  }

  /** Writes are queued (never interleaved) and atomic (temporary file + rename). */
  save(): Promise<void> {
    const run = this.queue.then(async () => {
      await fs.promises.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const temp = `${this.file}.${process.pid}.tmp`;
      await fs.promises.writeFile(temp, JSON.stringify({ ids: this.window.toJSON(), subscription: this.subscription }), { mode: 0o600 });
      await fs.promises.rename(temp, this.file);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async remove(): Promise<void> {
    await this.queue;
    fs.rmSync(this.file, { force: true });
  }
}
