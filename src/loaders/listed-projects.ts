/**
 * The projects this request reads whole: once a project's model or version listing has
 * started, the loaders answer single models and versions of it from that listing instead of
 * one call each. Shared by the loaders and by the registry's read-ahead, which starts a
 * listing early, and its cache control, which forgets one after a write.
 */
export class ListedProjects {
  readonly models = new Set<string>();
  readonly versions = new Set<string>();
}
