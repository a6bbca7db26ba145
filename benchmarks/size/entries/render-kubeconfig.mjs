export { renderKubeconfig } from "@kubepki/renderers";
