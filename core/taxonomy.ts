// The library's taxonomy as the editors' pickers show it: categories as a tree (MediaValet
// lists them flat, each with its parent and path) and attribute definitions by name.
import type { MediaValetClient } from './client';
import { itemsOf, member } from './envelope';

export interface CategoryNode {
  id: string;
  name: string;
  /** "/Marketing/Campaigns 2026": what a user recognises when names repeat. */
  path: string;
  assetCount?: number;
  children: CategoryNode[];
}

export interface AttributeDefinition {
  id: string;
  name: string;
  type?: string;
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** GET /categories as a tree, siblings by name. A parent the list lacks makes its child a root. */
export async function categoryTree(client: MediaValetClient, signal?: AbortSignal): Promise<CategoryNode[]> {
  const flat = itemsOf<Record<string, unknown>>((await client.request({ method: 'GET', path: '/categories', signal })).payload);
  const nodes = new Map<string, CategoryNode & { parentId: string; parentPath: string }>();
  for (const c of flat) {
    const id = text(member(c, 'id'));
    if (!id) continue;
    const name = text(member(c, 'name') ?? member(c, 'categoryName')) || id;
    const path = text(member(c, 'path') ?? member(c, 'tree')) || `/${name}`;
    const count = Number(member(c, 'assetCount'));
    nodes.set(id, {
      id,
      name,
      path,
      assetCount: Number.isFinite(count) ? count : undefined,
      children: [],
      parentId: text(member(c, 'parentId') ?? member(c, 'parentCategoryId')),
      // Some answers give only the path; the parent is then the category one level up.
      parentPath: path.replace(/\/[^/]*$/, ''),
    });
  }
  const byPath = new Map([...nodes.values()].map((n) => [n.path.toLowerCase(), n]));
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = (node.parentId && nodes.get(node.parentId)) || (!node.parentId && node.parentPath ? byPath.get(node.parentPath.toLowerCase()) : undefined);
    (parent && parent !== node ? parent.children : roots).push(node);
  }
  const tidy = (list: CategoryNode[]): CategoryNode[] =>
    list
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(({ id, name, path, assetCount, children }) => ({ id, name, path, ...(assetCount === undefined ? {} : { assetCount }), children: tidy(children) }));
  return tidy(roots);
}

/** GET /attributes: the definitions, in MediaValet's order. */
export async function listAttributes(client: MediaValetClient, signal?: AbortSignal): Promise<AttributeDefinition[]> {
  const list = itemsOf<Record<string, unknown>>((await client.request({ method: 'GET', path: '/attributes', signal })).payload);
  return list
    .map((a) => {
      const type = member(a, 'type') ?? member(a, 'attributeType');
      return { id: text(member(a, 'id')), name: text(member(a, 'name') ?? member(a, 'attributeName')), ...(type ? { type: String(type) } : {}) };
    })
    .filter((a) => a.id);
}
