import type { KubeadmFile } from "../../files/kubeadm-files.js";

const SECRET_MODE = 0o600;
const PUBLIC_MODE = 0o644;

/**
 * The tree as one phase changes it: text by path, and what changed. Each step reads the state the
 * steps before it left, so several targets moving together compose (a kubeconfig whose client
 * certificate and CA data both change is written once, with both).
 */
export class Work {
  readonly texts: Map<string, string>;
  private readonly original: ReadonlyMap<string, string>;
  private readonly modes = new Map<string, number>();

  constructor(texts: ReadonlyMap<string, string>) {
    this.original = texts;
    this.texts = new Map(texts);
  }

  /** Sets a file; `mode` as toKubeadmFiles when not given (keys and kubeconfigs 0600). */
  set(path: string, contents: string, mode?: number): void {
    this.texts.set(path, contents);
    this.modes.set(path, mode ?? defaultMode(path));
  }

  remove(path: string): void {
    this.texts.delete(path);
  }

  /** The new and changed files, in path order. */
  files(): KubeadmFile[] {
    return [...this.modes.keys()]
      .filter((path) => this.texts.has(path) && this.texts.get(path) !== this.original.get(path))
      .sort()
      .map((path) => ({ path, contents: this.texts.get(path) as string, mode: this.modes.get(path) as number }));
  }

  /** The files of the tree this phase took out. */
  removed(): string[] {
    return [...this.original.keys()].filter((path) => !this.texts.has(path)).sort();
  }
}

function defaultMode(path: string): number {
  return /\.(key|conf|kubeconfig)$/.test(path) ? SECRET_MODE : PUBLIC_MODE;
}
