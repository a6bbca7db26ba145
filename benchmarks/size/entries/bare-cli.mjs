import "@kubepki/cli";
