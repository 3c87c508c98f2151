// The inputs a careless flow, an AI agent or an attacker hands a node: odd types, huge
// strings, path-like names, control and right-to-left characters, unicode file names, empty
// and null values, and (so the property also sees the success side) well-formed ids and links.
import fc from 'fast-check';
import { SEED_IDS } from '../../simulator/index';

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const isGuid = (value: unknown) => typeof value === 'string' && GUID_RE.test(value.trim());

const pathLike = fc.constantFrom('../../mv-evil.txt', '/etc/passwd', '..\\..\\mv-evil.txt', 'C:\\Windows\\x.dll', '/assets/../users', '%2e%2e/%2e%2e/x', 'file:///etc/passwd', '//evil.example/x', '.');
const controls = fc.string({ unit: fc.constantFrom('\u0000', '\n', '\r', '\t', '\u001b', '\u007f', '\u0085', 'a', '.', '/') });
const bidi = fc.string({ unit: fc.constantFrom('\u202E', '\u2066', '\u200F', '\u061C', 'x', 'ש', 'ع') });
const unicodeNames = fc.tuple(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('.png', '.jpg', '', '.tar.gz')).map(([name, ext]) => name + ext);
// Past every limit (ids 36, text 1,000-10,000, URLs 8,000); the 10 MB id has its own tests in each host.
const huge = fc.constantFrom(20_000, 200_000).map((n) => 'x'.repeat(n));
const oddTypes = fc.oneof(fc.object({ maxDepth: 1 }), fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(Buffer.from('bytes')), fc.constant({}));
const empties = fc.constantFrom(undefined, null, '', '   ');
const wellFormed = fc.oneof(fc.uuid().map((u) => u.toString()), fc.constant(SEED_IDS.firstAsset), fc.constant(` ${SEED_IDS.firstAsset} `), fc.constant(`https://acme.mediavalet.com/assets/${SEED_IDS.firstAsset}?view=1#x`));

/** Any value a field may be given. n8n reads a string starting with "=" as an expression: left out. */
export const anyInput = fc
  .oneof(pathLike, controls, bidi, unicodeNames, huge, oddTypes, empties, wellFormed, fc.string({ maxLength: 50 }))
  .filter((v) => !(typeof v === 'string' && v.startsWith('=')));

/** The input classes, for the run report. */
export const INPUT_CLASSES = ['path-like names', 'control characters', 'right-to-left / bidi characters', 'unicode file names', 'huge strings (20 kB, 200 kB)', 'odd types (object, list, number, boolean, Buffer)', 'empty and null', 'well-formed ids and links', 'short random text'];

/** An error a user may see, bounded: core caps message and hint at 1,500 characters each. */
export const MAX_ERROR_TEXT = 3_200;
