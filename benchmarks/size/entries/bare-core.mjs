import "@kubepki/core";
