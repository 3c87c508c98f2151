// Captures what a user or an operator could see (logs, errors, node status, outputs) into
// the run's leak directory, one JSON line per capture. The scan at the end of the run
// (global-teardown.js) looks in them for every secret the simulator saw or issued.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { inspect } = require('node:util');

/** Text a host could show of any value: errors with their cause chain and own fields. */
function render(value) {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return `<Buffer ${value.length} bytes>`;
  const parts = [];
  if (value instanceof Error) {
    parts.push(String(value), String(value.stack));
    try {
      parts.push(JSON.stringify(value));
    } catch {
      // circular: inspect below still shows it
    }
  }
  parts.push(inspect(value, { depth: 8, maxArrayLength: 500, maxStringLength: 200_000, breakLength: Infinity }));
  return parts.join('\n');
}

/** Records `value` as seen through `sink` (e.g. "console", "error", "node-red status"). */
function record(sink, value) {
  const dir = process.env.MV_LEAK_DIR;
  if (!dir) return;
  let text;
  try {
    text = render(value);
  } catch (error) {
    text = `(could not render: ${error})`;
  }
  if (!text) return;
  const line = JSON.stringify({ sink, file: process.env.MV_LEAK_FILE ?? '', text });
  fs.appendFileSync(path.join(dir, `capture-${process.pid}.jsonl`), `${line}\n`);
}

module.exports = { record, render };
