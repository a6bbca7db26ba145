import "@kubepki/k8s-profiles";
