import type { Pair } from "yaml";

// kubectl writes YAML by marshalling to JSON and converting with sigs.k8s.io/yaml, whose go-yaml v2
// encoder sorts mapping keys with `keyList.Less` (yaml.v2 sorter.go): rune by rune, letters after
// non-letters, runs of digits compared as numbers. Reproducing it keeps our output in kubectl's
// key order even for opaque exec/auth-provider maps.

// ASCII without the Unicode regex: `init` sorts the keys of ~2000 small mappings at N = 1000.
const isLetter = (c: string): boolean => {
  const code = c.charCodeAt(0) | 0x20;
  return c.charCodeAt(0) < 0x80 ? code >= 0x61 && code <= 0x7a : /\p{L}/u.test(c);
};
/** The runes of `text`: the string itself when it is ASCII (one rune per UTF-16 unit). */
const runes = (text: string): ArrayLike<string> => (/^[\x00-\x7f]*$/.test(text) ? text : Array.from(text));
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

/** go-yaml v2 `keyList.Less` for two string keys. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = runes(a);
  const br = runes(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i]!;
    const y = br[i]!;
    if (x === y) continue;
    const xl = isLetter(x);
    const yl = isLetter(y);
    if (xl && yl) return x < y;
    if (xl || yl) return yl;
    let an = 0;
    let bn = 0;
    if (x === "0" || y === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== "0") {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return x < y;
  }
  return ar.length < br.length;
}

/** `sortMapEntries` comparator for the `yaml` package implementing {@link goYamlKeyLess}. */
export function compareGoYamlPairs(a: Pair, b: Pair): number {
  const ak = String((a.key as { value?: unknown })?.value ?? a.key);
  const bk = String((b.key as { value?: unknown })?.value ?? b.key);
  if (ak === bk) return 0;
  return goYamlKeyLess(ak, bk) ? -1 : 1;
}
