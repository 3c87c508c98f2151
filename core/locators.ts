// Asset and category ids from MediaValet web-app links. MediaValet does not document its
// page URLs; its ids are GUIDs, so any link whose path has a GUID right after /asset(s)/
// (or /categor(y|ies)/) is taken, whatever the tenant host and the path before it.
import { ApiError } from './errors';

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** Source of the asset-link pattern; group 1 is the asset id. n8n's URL mode uses it as is. */
export const ASSET_URL_PATTERN = `^https?://[^/?#]+/(?:[^?#]*/)?assets?/(${GUID})`;
/** Source of the category-link pattern; group 1 is the category id. */
export const CATEGORY_URL_PATTERN = `^https?://[^/?#]+/(?:[^?#]*/)?categor(?:y|ies)/(${GUID})`;
export const ID_PATTERN = `^${GUID}$`;

function idFrom(pattern: string, text: string): string | undefined {
  return new RegExp(pattern).exec(text.trim())?.[1];
}

/** The asset id in a MediaValet asset link, or undefined when the link has none. */
export function assetIdFromUrl(url: string): string | undefined {
  return idFrom(ASSET_URL_PATTERN, url);
}

export function categoryIdFromUrl(url: string): string | undefined {
  return idFrom(CATEGORY_URL_PATTERN, url);
}

/**
 * The id in whatever a user (or an AI agent) gave: an id, or a link to the item's page.
 * A link without an id fails naming the field, so nothing is sent with a URL as an id.
 */
export function locatedId(kind: 'asset' | 'category', value: string, label: string): string {
  const text = value.trim();
  if (!text) throw new ApiError(`${label} is empty.`, { code: 'bad_request', kind: 'request', field: label, hint: `Pick the ${kind} from the list, paste its link, or give its ID.` });
  if (!/^https?:\/\//i.test(text)) return text;
  const id = kind === 'asset' ? assetIdFromUrl(text) : categoryIdFromUrl(text);
  if (!id) {
    throw new ApiError(`${label}: the link does not contain a MediaValet ${kind} ID.`, {
      code: 'bad_request',
      kind: 'request',
      field: label,
      hint: `Use a link with the ID after /${kind === 'asset' ? 'assets' : 'categories'}/ (e.g. https://yourcompany.mediavalet.com/${kind === 'asset' ? 'assets' : 'categories'}/<ID>), or give the ID itself.`,
    });
  }
  return id;
}
