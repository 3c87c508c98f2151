// Asset and category ids from MediaValet web-app links. MediaValet does not document its
// page URLs; its ids are GUIDs, so any link whose path has a GUID right after /asset(s)/
// (or /categor(y|ies)/) is taken, whatever the tenant host and the path before it.
import { ApiError } from './errors';
import { checkId, TEXT_LIMITS, typeName, invalidInput } from './inputs';

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

// n8n checks a locator's URL mode with ^(pattern)$ before the run starts, so the pattern
// must match the whole link: after the id may come a further path, a ?query or a #fragment
// (a link copied from the browser), but not more of an id.
const AFTER_ID = '(?:[/?#].*)?$';

/** Source of the asset-link pattern; group 1 is the asset id. n8n's URL mode uses it as is. */
export const ASSET_URL_PATTERN = `^https?://[^/?#]+/(?:[^?#]*/)?assets?/(${GUID})${AFTER_ID}`;
/** Source of the category-link pattern; group 1 is the category id. */
export const CATEGORY_URL_PATTERN = `^https?://[^/?#]+/(?:[^?#]*/)?categor(?:y|ies)/(${GUID})${AFTER_ID}`;
export const ID_PATTERN = `^${GUID}$`;

function idFrom(pattern: string, text: string): string | undefined {
  // Bounded: a link is never megabytes, and the pattern must not be run over one.
  const link = text.trim();
  return link.length > TEXT_LIMITS.url ? undefined : new RegExp(pattern).exec(link)?.[1];
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
export function locatedId(kind: 'asset' | 'category', value: unknown, label: string): string {
  if (typeof value !== 'string') {
    if (typeof value === 'number') return checkId(value, label);
    throw invalidInput(label, `must be an ID or a link (text), not ${typeName(value)}.`, `Pick the ${kind} from the list, paste its link, or give its ID; an expression may have picked the wrong value.`);
  }
  const text = value.trim();
  if (!text) throw new ApiError(`${label} is empty.`, { code: 'bad_request', kind: 'request', field: label, hint: `Pick the ${kind} from the list, paste its link, or give its ID.` });
  if (!/^https?:\/\//i.test(text)) return checkId(text, label);
  const id = kind === 'asset' ? assetIdFromUrl(text) : categoryIdFromUrl(text);
  if (!id) {
    throw new ApiError(`${label}: the link does not contain a MediaValet ${kind} ID.`, {
      code: 'bad_request',
      kind: 'request',
      field: label,
      hint: `Use a link with the ID after /${kind === 'asset' ? 'assets' : 'categories'}/ (e.g. https://yourcompany.mediavalet.com/${kind === 'asset' ? 'assets' : 'categories'}/<ID>), or give the ID itself.`,
    });
  }
  return checkId(id, label);
}
