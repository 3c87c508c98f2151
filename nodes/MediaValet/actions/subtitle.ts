// The canvas subtitle: each operation's action, title-cased ("Upload from URL"), built from
// the actions themselves so the two never drift apart.
import { resources } from './router';

const SMALL = new Set(['a', 'an', 'the', 'to', 'of', 'from', 'for', 'in', 'as', 'or', 'and']);

function titleCase(text: string): string {
  return text.replace(/\S+/g, (word, at: number) => (at > 0 && SMALL.has(word) ? word : word[0].toUpperCase() + word.slice(1)));
}

export function subtitle(): string {
  const map: Record<string, string> = {};
  for (const [name, r] of Object.entries(resources)) {
    for (const option of (r.operations.options ?? []) as Array<{ value: string; action?: string }>) map[`${name}:${option.value}`] = titleCase(option.action ?? option.value);
  }
  return `={{ ${JSON.stringify(map)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}
