// @ts-check
/**
 * A typedoc plugin: every public symbol of the four packages must carry a TSDoc `@example`.
 * typedoc's own `validation.notDocumented` only asks for *some* comment; this asks for the example
 * the house rules promise (CONTRIBUTING.md, "Public API": every export has TSDoc with an
 * `@example` that runs). A missing example is logged as a warning, and `treatWarningsAsErrors` turns it into
 * a failed `pnpm run docs`.
 */
import { Application, ReflectionKind } from "typedoc";

/** Top-level exports that must show an example; their members only need a comment. */
const KINDS_WITH_EXAMPLES =
  ReflectionKind.Function |
  ReflectionKind.Class |
  ReflectionKind.Variable |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Enum;

/** @param {import("typedoc").Reflection} reflection */
function hasExample(reflection) {
  /** @type {(import("typedoc").Comment | undefined)[]} */
  const comments = [reflection.comment];
  if ("signatures" in reflection && Array.isArray(reflection.signatures)) {
    for (const signature of reflection.signatures) comments.push(signature.comment);
  }
  return comments.some((comment) => comment?.getTag("@example") !== undefined);
}

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    for (const reflection of project.getReflectionsByKind(KINDS_WITH_EXAMPLES)) {
      // Only module-level exports: a class's methods or a namespace's members are covered by it.
      if (!reflection.parent?.kindOf(ReflectionKind.Module | ReflectionKind.Project)) continue;
      if (hasExample(reflection)) continue;
      app.logger.warn(`${reflection.getFriendlyFullName()} has no @example in its TSDoc`);
    }
  });
}
