/**
 * `@kubepki/k8s-profiles/archive`: files into one `tar.gz` or `zip`, in memory (for `kubepki bundle`
 * and a browser's download). A subpath of its own so the archive libraries (fflate, nanotar) load
 * only for who packs archives, not with the main entry.
 *
 * @packageDocumentation
 */
export { type ArchiveEntry, type ArchiveFormat, archiveFiles } from "./files/archive.js";
