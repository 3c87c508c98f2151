// Where a MediaValet asset record may hold each field. The docs show PascalCase, the wire
// camelCase, and records differ by endpoint and API version (file.contentType or
// file.mimeType, sasExpiry on the record or under media): every reader of an asset field
// (Simplify, download, watch) asks here, and member() ignores case.
import { member } from './envelope';

/** The first value present at any of the dotted paths (`file.mimeType`), whatever the case. */
export function firstAt(record: unknown, paths: readonly string[]): unknown {
  for (const path of paths) {
    let value: unknown = record;
    for (const name of path.split('.')) value = member(value, name);
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

export const ASSET_FIELDS = {
  id: ['id', 'assetId'],
  title: ['title', 'name'],
  fileName: ['file.fileName', 'file.name', 'fileName', 'filename', 'file.originalFileName', 'originalFileName'],
  type: ['assetType', 'type', 'file.assetType', 'mediaType'],
  size: ['file.sizeInBytes', 'file.fileSize', 'file.size', 'fileSize', 'sizeInBytes', 'size'],
  contentType: ['file.contentType', 'file.mimeType', 'contentType', 'mimeType', 'file.mediaType'],
  uploadedAt: ['record.createdAt', 'record.dateUploaded', 'createdAt', 'dateUploaded', 'uploadedAt', 'dateCreated'],
  modifiedAt: ['record.modifiedAt', 'record.dateModified', 'modifiedAt', 'dateModified', 'lastModified'],
  categories: ['categories', 'categoryIds'],
  keywords: ['keywords'],
  thumbnailUrl: ['media.thumb', 'media.thumbnail', 'thumbnailUrl', 'thumbUrl'],
  originalUrl: ['media.original', 'media.download', 'originalUrl', 'downloadUrl'],
  linksExpireAt: ['sasExpiry', 'media.sasExpiry', 'media.expiry', 'sasExpiresAt'],
} as const;

export type AssetField = keyof typeof ASSET_FIELDS;

export function assetField(asset: unknown, field: AssetField): unknown {
  return firstAt(asset, ASSET_FIELDS[field]);
}

/** The asset's file name as MediaValet stored it (unsafe as a path: see safeFileName). */
export function storedFileName(asset: unknown): string | undefined {
  const name = assetField(asset, 'fileName');
  return typeof name === 'string' && name ? name : undefined;
}
