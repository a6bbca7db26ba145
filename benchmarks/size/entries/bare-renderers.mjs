import "@kubepki/renderers";
