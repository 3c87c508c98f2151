import { resource } from '../fields';
import { uploadFile } from './file.operation';
import { uploadUrl } from './url.operation';
import { uploadVersion, uploadVersionFromUrl } from './version.operation';

export const upload = resource(
  'upload',
  [
    { value: 'uploadFile', name: 'Upload File', action: 'Upload file', description: 'Upload a file as a new asset, with title, keywords, categories and attributes', operation: uploadFile },
    {
      value: 'uploadFromUrl',
      name: 'Upload From URL',
      action: 'Upload from URL',
      description: 'Download a file from a link into a new asset, with the same metadata as Upload File',
      operation: uploadUrl,
    },
    { value: 'uploadVersion', name: 'Upload New Version', action: 'Upload new version', description: 'Replace an asset\'s file with a file from the input, keeping its metadata', operation: uploadVersion },
    {
      value: 'uploadVersionFromUrl',
      name: 'New Version From URL',
      action: 'New version from URL',
      description: 'Replace an asset\'s file with a file downloaded from a link, keeping its metadata',
      operation: uploadVersionFromUrl,
    },
  ],
  'uploadFile',
);
