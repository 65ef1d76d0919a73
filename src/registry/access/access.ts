import { type Caller, type Grant, ROLES, type Role } from "./caller.js";

const rank = (role: Role) => ROLES.indexOf(role);

/** A model-name pattern (`fraud-*`) as a whole-name test; `*` is the only wildcard. */
function patternTest(pattern: string): (name: string) => boolean {
  const parts = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  const regex = new RegExp(`^${parts.join(".*")}$`, "s");
  return (name) => regex.test(name);
}

interface CompiledGrant {
  project: string;
  rank: number;
  /** null: every model of the project. */
  models: ((name: string) => boolean)[] | null;
}

const compile = (grant: Grant): CompiledGrant => ({
  project: grant.project,
  rank: rank(grant.role),
  models: grant.models ? grant.models.map(patternTest) : null,
});

/**
 * What one caller may see and change: the policy every check of the registry asks. A project
 * is visible when any grant names it (or `*`); a model, when a grant's patterns match its
 * name; a role holds on a model when a grant of that role or above covers it.
 */
export class Access {
  private readonly grants: CompiledGrant[];
  /** The configured projects this caller may read, in configuration order. */
  readonly projects: readonly string[];

  constructor(
    readonly caller: Caller,
    configured: readonly string[],
  ) {
    this.grants = caller.grants.map(compile);
    this.projects = configured.filter((project) => this.grantsOf(project).length > 0);
  }

  private grantsOf(project: string): CompiledGrant[] {
    return this.grants.filter((g) => g.project === "*" || g.project === project);
  }

  /** The highest role the caller holds on the model (on some model, when none is named). */
  roleOn(project: string, model?: string): Role | null {
    let best = -1;
    for (const grant of this.grantsOf(project)) {
      const covers = model === undefined || !grant.models || grant.models.some((t) => t(model));
      if (covers && grant.rank > best) best = grant.rank;
    }
    return best < 0 ? null : ROLES[best]!;
  }

  /** Whether the caller sees the project (and the model, when named). */
  canRead(project: string, model?: string): boolean {
    return this.roleOn(project, model) !== null;
  }

  /** Whether the caller holds `role` (or above) on the model of the project. */
  allows(project: string, model: string | undefined, role: Role): boolean {
    const held = this.roleOn(project, model);
    return held !== null && rank(held) >= rank(role);
  }

  /** Whether the caller holds `role` (or above) anywhere: refusing early costs nothing. */
  holdsAnywhere(role: Role): boolean {
    return this.grants.some((g) => g.rank >= rank(role));
  }

  /** Whether every model of the project is visible (no grant narrows the best one). */
  seesWholeProject(project: string): boolean {
    return this.grantsOf(project).some((g) => !g.models);
  }
}
