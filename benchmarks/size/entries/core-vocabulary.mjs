export * from "@kubepki/core/vocabulary";
