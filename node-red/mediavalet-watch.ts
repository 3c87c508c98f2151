// mediavalet-watch: polls for new and updated assets and sends one message per asset.
// Its position is kept in a file under the user directory, so a restart neither
// repeats nor skips changes.
import fs from 'node:fs';
import path from 'node:path';
import { assetField, assetFilename, compactAsset, pollAssets, startPosition, type WatchEvent, type WatchPosition } from '../core';
import { configNode, errorDetails, showDeployCheck, statusText, toNodeError } from './adapter';
import { storeDir } from './account';
import type { Node, RED } from './red';

interface WatchConfig {
  account: string;
  event?: WatchEvent;
  categoryId?: string;
  includeSubcategories?: boolean;
  interval?: string | number;
  /** compact asset or the whole record. Absent (a node deployed before the choice existed) = whole. */
  output?: 'compact' | 'whole';
}

module.exports = function register(RED: RED) {
  function MediaValetWatchNode(this: Node, config: WatchConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const file = path.join(storeDir(RED), `watch-${node.id.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
    const key = JSON.stringify([config.event ?? 'new', config.categoryId ?? '', config.includeSubcategories !== false]);
    const intervalMs = Math.max(5, Number(config.interval ?? 60)) * 1000;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const abort = new AbortController();

    const load = (): WatchPosition => {
      try {
        const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
        // A changed filter starts afresh rather than replaying from an unrelated position.
        if (saved.key === key && typeof saved.position?.since === 'string') return saved.position;
      } catch {
        // No file yet.
      }
      return startPosition();
    };
    const save = async (position: WatchPosition) => {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.tmp`;
      await fs.promises.writeFile(temp, JSON.stringify({ key, position }));
      await fs.promises.rename(temp, file);
    };
    let position = load();
    let polled = false;
    showDeployCheck(node, configNode(RED, node, config.account), () => polled);

    const poll = async () => {
      if (stopped) return;
      polled = true;
      const account = configNode(RED, node, config.account);
      try {
        if (!account) throw new Error('No MediaValet account is selected: open this node and pick or add one.');
        const { assets, position: next } = await pollAssets(account.getClient(), position, {
          event: config.event ?? 'new',
          categoryId: config.categoryId || undefined,
          includeSubcategories: config.includeSubcategories !== false,
          signal: abort.signal,
        });
        if (stopped) return;
        for (const { event, asset } of assets) {
          const assetId = String(assetField(asset, 'id') ?? '');
          // msg.filename: a safe base name for a write file node; the record keeps the stored name.
          node.send({ payload: config.output === 'compact' ? compactAsset(asset) : asset, event, assetId, filename: assetFilename(asset, assetId) });
        }
        // Saved after sending: a crash in between re-sends (at least once), never skips.
        position = next;
        await save(position);
        node.status({ fill: 'green', shape: 'dot', text: `${assets.length} change(s) at ${new Date().toLocaleTimeString()}` });
      } catch (error) {
        if (stopped) return;
        node.status({ fill: 'red', shape: 'ring', text: statusText(error) });
        node.error(toNodeError(error), { payload: undefined, mediavalet: { error: errorDetails(error) } });
      }
    };
    // One poll at a time, whether the timer or an input message asked for it.
    let running: Promise<void> | undefined;
    const pollNow = (): Promise<void> => {
      if (timer) clearTimeout(timer);
      running ??= poll().finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(pollNow, intervalMs);
      });
      return running;
    };
    timer = setTimeout(pollNow, 500);

    node.on('input', (_msg, _send, done) => {
      // Any message polls now.
      void pollNow().then(() => done());
    });
    node.on('close', (removed, done) => {
      stopped = true;
      abort.abort();
      if (timer) clearTimeout(timer);
      if (removed) fs.rmSync(file, { force: true });
      node.status({});
      done();
    });
  }
  RED.nodes.registerType('mediavalet-watch', MediaValetWatchNode as unknown as (this: Node, config: unknown) => void);
};
