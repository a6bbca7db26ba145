// Files into a tar.gz or zip in memory (kubepki bundle, a browser's download): fflate + nanotar.
export { archiveFiles } from "@kubepki/k8s-profiles/archive";
