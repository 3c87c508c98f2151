import { resource } from '../fields';
import { uploadFile } from './file.operation';
import { uploadUrl } from './url.operation';
import { uploadVersion } from './version.operation';

export const upload = resource(
  'upload',
  [
    { value: 'uploadFile', name: 'Upload File', action: 'Upload a file as a new asset', description: 'Upload a file with title, keywords, categories and attributes', operation: uploadFile },
    {
      value: 'uploadFromUrl',
      name: 'Upload From URL',
      action: 'Upload a file from a URL as a new asset',
      description: 'Download a file from a link into a new asset, with the same metadata as Upload File',
      operation: uploadUrl,
    },
    { value: 'uploadVersion', name: 'Upload New Version', action: 'Upload a new version of an asset', description: 'Replace an asset\'s file, keeping its metadata', operation: uploadVersion },
  ],
  'uploadFile',
);
