import { resource } from '../fields';
import { uploadFile } from './file.operation';
import { uploadVersion } from './version.operation';

export const upload = resource(
  'upload',
  [
    { value: 'uploadFile', name: 'Upload File', action: 'Upload a file as a new asset', description: 'Upload a file with title, keywords, categories and attributes', operation: uploadFile },
    { value: 'uploadVersion', name: 'Upload New Version', action: 'Upload a new version of an asset', description: 'Replace an asset\'s file, keeping its metadata', operation: uploadVersion },
  ],
  'uploadFile',
);
