// The simulator's DAM: categories, attributes, keywords, assets and their history,
// seeded with a small demo library of real (generated) images.
import { randomUUID } from 'node:crypto';
import { gradientPng } from './png';

export interface Category {
  id: string;
  name: string;
  parentId: string | null;
  path: string;
  createdAt: string;
}

export interface AttributeDef {
  id: string;
  name: string;
  type: 'Text' | 'Date' | 'Number';
}

export interface Keyword {
  id: string;
  keywordName: string;
}

/** File bytes: in memory (seeded) or files on disk (uploads), served in order. */
export interface Blob {
  parts: Array<Buffer | string>;
  size: number;
  sha256: string;
  contentType: string;
}

export interface HistoryEntry {
  id: string;
  action: string;
  details: string;
  at: string;
  by: string;
}

export interface Asset {
  id: string;
  title: string;
  description: string;
  altText: string;
  fileName: string;
  fileType: string;
  contentType: string;
  width?: number;
  height?: number;
  status: 'Approved' | 'Processing';
  assetType: string;
  categories: string[];
  keywords: string[];
  attributes: Record<string, string>;
  createdAt: string;
  modifiedAt: string;
  createdBy: string;
  modifiedBy: string;
  version: number;
  /** Blob names per rendition. */
  blobs: Record<string, string>;
  history: HistoryEntry[];
  comments: Array<{ id: string; text: string; at: string; by: string }>;
}

export interface DirectLink {
  id: string;
  assetId: string;
  createdAt: string;
}

export class Library {
  /** Bumped by every change, so cached search results know when they are stale. */
  revision = 0;
  categories = new Map<string, Category>();
  attributes = new Map<string, AttributeDef>();
  keywords = new Map<string, Keyword>();
  assets = new Map<string, Asset>();
  blobs = new Map<string, Blob>();
  directLinks = new Map<string, DirectLink[]>();

  addCategory(name: string, parentId: string | null = null, id: string = randomUUID()): Category {
    const parent = parentId ? this.categories.get(parentId) : undefined;
    const category = { id, name, parentId, path: parent ? `${parent.path}/${name}` : `/${name}`, createdAt: new Date().toISOString() };
    this.categories.set(id, category);
    return category;
  }

  ancestorsOf(categoryId: string): string[] {
    const out: string[] = [];
    let current = this.categories.get(categoryId)?.parentId;
    while (current) {
      out.push(current);
      current = this.categories.get(current)?.parentId ?? null;
    }
    return out;
  }

  keyword(name: string): Keyword {
    for (const k of this.keywords.values()) if (k.keywordName.toLowerCase() === name.toLowerCase()) return k;
    const k = { id: randomUUID(), keywordName: name };
    this.keywords.set(k.id, k);
    return k;
  }

  addHistory(asset: Asset, action: string, details: string, by: string): void {
    asset.history.push({ id: randomUUID(), action, details, at: new Date().toISOString(), by });
  }

  touch(asset: Asset, by: string, at = Date.now()): void {
    this.revision++;
    // Strictly increasing, so pollers that remember the last change never see two changes at one instant.
    const previous = Date.parse(asset.modifiedAt);
    asset.modifiedAt = new Date(Math.max(at, previous + 1)).toISOString();
    asset.modifiedBy = by;
  }
}

const PALETTE: Array<[string, [number, number, number]]> = [
  ['Coral', [255, 111, 97]],
  ['Ocean', [0, 105, 148]],
  ['Forest', [34, 139, 34]],
  ['Sunflower', [255, 200, 40]],
  ['Plum', [142, 69, 133]],
  ['Slate', [112, 128, 144]],
  ['Teal', [0, 128, 128]],
  ['Crimson', [220, 20, 60]],
  ['Sand', [194, 178, 128]],
  ['Indigo', [75, 0, 130]],
  ['Mint', [152, 255, 152]],
  ['Charcoal', [54, 69, 79]],
];

/** Fixed ids so examples and docs can name them. */
export const SEED_IDS = {
  categories: { marketing: 'c0000000-0000-4000-8000-000000000001', campaigns: 'c0000000-0000-4000-8000-000000000002', products: 'c0000000-0000-4000-8000-000000000003', shoes: 'c0000000-0000-4000-8000-000000000004', brand: 'c0000000-0000-4000-8000-000000000005' },
  attributes: { photographer: 'a0000000-0000-4000-8000-000000000001', usageRights: 'a0000000-0000-4000-8000-000000000002', sku: 'a0000000-0000-4000-8000-000000000003' },
  firstAsset: '10000000-0000-4000-8000-000000000001',
};

export function seedLibrary(library: Library, owner: string, assetCount = PALETTE.length): void {
  const c = SEED_IDS.categories;
  library.addCategory('Marketing', null, c.marketing);
  library.addCategory('Campaigns 2026', c.marketing, c.campaigns);
  library.addCategory('Products', null, c.products);
  library.addCategory('Shoes', c.products, c.shoes);
  library.addCategory('Brand', null, c.brand);
  const a = SEED_IDS.attributes;
  library.attributes.set(a.photographer, { id: a.photographer, name: 'Photographer', type: 'Text' });
  library.attributes.set(a.usageRights, { id: a.usageRights, name: 'Usage Rights', type: 'Text' });
  library.attributes.set(a.sku, { id: a.sku, name: 'Product SKU', type: 'Text' });

  const categoryCycle = [c.campaigns, c.shoes, c.brand, c.marketing];
  const start = Date.parse('2026-01-05T09:00:00.000Z');
  for (let i = 0; i < assetCount; i++) {
    const [name, rgb] = PALETTE[i % PALETTE.length];
    const id = i === 0 ? SEED_IDS.firstAsset : `10000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
    const original = gradientPng(96, 64, rgb);
    const thumb = gradientPng(24, 16, rgb);
    library.blobs.set(`${id}/original`, { parts: [original], size: original.length, sha256: '', contentType: 'image/png' });
    library.blobs.set(`${id}/thumb`, { parts: [thumb], size: thumb.length, sha256: '', contentType: 'image/png' });
    const at = new Date(start + i * 86_400_000).toISOString();
    const keywords = [name.toLowerCase(), i % 2 === 0 ? 'summer' : 'winter', 'demo'].map((k) => library.keyword(k).keywordName);
    library.assets.set(id, {
      id,
      title: `${name} gradient`,
      description: `A ${name.toLowerCase()} gradient from the simulator's demo library.`,
      altText: `${name} colour gradient`,
      fileName: `${name.toLowerCase()}-gradient.png`,
      fileType: 'PNG',
      contentType: 'image/png',
      width: 96,
      height: 64,
      status: 'Approved',
      assetType: 'Image',
      categories: [categoryCycle[i % categoryCycle.length]],
      keywords,
      attributes: { [a.photographer]: 'Sim Ulator', [a.usageRights]: i % 3 === 0 ? 'Internal only' : 'Unrestricted' },
      createdAt: at,
      modifiedAt: at,
      createdBy: owner,
      modifiedBy: owner,
      version: 1,
      blobs: { original: `${id}/original`, thumb: `${id}/thumb` },
      history: [{ id: randomUUID(), action: 'Uploaded', details: 'Seeded by the simulator', at, by: owner }],
      comments: [],
    });
  }
}

/** A small generated PNG asset with no metadata: the bulk and synthetic assets of paging benchmarks. */
export function plainImageAsset(id: string, title: string, fileName: string, at: string, owner: string, blob: string, categories: string[] = []): Asset {
  return {
    id,
    title,
    description: '',
    altText: '',
    fileName,
    fileType: 'PNG',
    contentType: 'image/png',
    status: 'Approved',
    assetType: 'Image',
    categories,
    keywords: [],
    attributes: {},
    createdAt: at,
    modifiedAt: at,
    createdBy: owner,
    modifiedBy: owner,
    version: 1,
    blobs: { original: blob },
    history: [],
    comments: [],
  };
}

/** Many small assets sharing one image, for paging benchmarks. */
export function addBulkAssets(library: Library, count: number, owner: string): void {
  const image = gradientPng(8, 8, [128, 128, 128]);
  library.blobs.set('bulk/original', { parts: [image], size: image.length, sha256: '', contentType: 'image/png' });
  const start = Date.parse('2025-01-01T00:00:00.000Z');
  const base = library.assets.size;
  for (let i = 0; i < count; i++) {
    const id = `20000000-0000-4000-8000-${String(base + i).padStart(12, '0')}`;
    library.assets.set(id, plainImageAsset(id, `Bulk asset ${base + i}`, `bulk-${base + i}.png`, new Date(start + i * 1000).toISOString(), owner, 'bulk/original'));
  }
}
