export { parseCertificate } from "@kubepki/core";
