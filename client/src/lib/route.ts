// Which view a path shows, and where each role lands after signing in.
import { viewPaths, type Role, type View } from '../../../server/schema/index.ts';

export { viewPaths, type View };

/** Views only some roles may open (the server enforces it too; this keeps the links honest). */
const viewRoles: Partial<Record<View, Role[]>> = { reports: ['admin', 'commander'], accounts: ['admin'], imports: ['admin'], vehicles: ['admin'] };

/** The views a role may open, for the navigation. */
export function viewsFor(role: Role): View[] {
  return (Object.keys(viewPaths) as View[]).filter((v) => viewRoles[v]?.includes(role) ?? true);
}

const homeOf: Record<Role, View> = {
  admin: 'board',
  commander: 'board',
  dispatcher: 'dispatch',
  field: 'field',
  wall: 'wall',
};

/** The view a path names; null for '/' and '/signin', which go to the role's home. */
export function viewOfPath(path: string): View | null {
  const name = path.replace(/\/+$/, '').slice(1);
  return Object.hasOwn(viewPaths, name) ? (name as View) : null;
}

/** The view to show: the one the path names, else the role's own. */
export function viewFor(path: string, role: Role): View {
  const asked = viewOfPath(path);
  return asked && viewsFor(role).includes(asked) ? asked : homeOf[role];
}
