export { createSelfSignedCa, generateKeyPair, issueCertificate } from "@kubepki/core";
