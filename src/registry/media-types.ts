/** Manifest media types Berth stores as they are; asking for all four means the registry never converts. */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST].join(', ');

export const isIndexMediaType = (mediaType: string | undefined) => mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;

/**
 * Registry events carry `application/octet-stream` for every blob and the
 * real media type for manifests; anything under the Docker distribution or
 * OCI manifest/index types is a manifest.
 */
export const isManifestMediaType = (mediaType: string | undefined) =>
  !!mediaType && (/^application\/vnd\.docker\.distribution\.manifest\./.test(mediaType) || mediaType === OCI_MANIFEST || mediaType === OCI_INDEX);

/** The image config and layer types that go with each manifest type. */
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
