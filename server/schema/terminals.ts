// Vehicle terminals: which JT/T 808 terminal and which OsmAnd / Traccar Client phone report for
// which vehicle, as admins bind them (the store is the truth; DATA_DIR/terminals.json only seeds
// it on a first start), and the terminals that reported with an identity nobody bound. The two
// kinds of identity never meet: a JT/T 808 phone number loses its leading zeros within its own
// kind only (the 2013 header pads it to 12 digits, 2019 to 20), an OsmAnd id is matched exactly.
// No Node imports (the client reads these too).
import { z } from 'zod';
import { Id, Lat, Lng, Millis } from './entities.ts';

export const TerminalKind = z.enum(['jt808', 'osmand']);
export type TerminalKind = z.infer<typeof TerminalKind>;

/** A JT/T 808 identity: the phone number's digits, or `x` + the 6 or 10 bytes in hex a device sends in its place. */
export const Jt808Identity = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(\d{1,20}|x[0-9a-f]{12}|x[0-9a-f]{20})$/, '终端手机号须为 1–20 位数字，或 x 加 12/20 位十六进制 (digits, or x and 12 or 20 hex digits)');
/** An OsmAnd / Traccar Client device id, matched exactly. */
export const OsmandDeviceId = z.string().regex(/^[\x21-\x7e]{1,64}$/, '设备号须为 1–64 个可打印 ASCII 字符 (printable ASCII, 1–64 characters)');
export const TerminalId = z.string().trim().min(1).max(30);
export const Plate = z.string().trim().min(1).max(20);
const KeyHash = z.string().regex(/^[0-9a-f]{64}$/);

/** The JT/T 808 terminal of a vehicle: the identity it registers with must name the terminal id and/or plate given here (neither: the first registration binds it). */
export const Jt808Binding = z.object({ phone: Jt808Identity, terminalId: TerminalId.optional(), plate: Plate.optional() });
export type Jt808Binding = z.infer<typeof Jt808Binding>;

/** A vehicle's terminals as the store keeps them (the OsmAnd key only as its SHA-256). */
export const StoredVehicleTerminals = z.object({
  ambulanceId: Id,
  jt808: Jt808Binding.nullable(),
  osmand: z.object({ deviceId: OsmandDeviceId, keyHash: KeyHash.optional() }).nullable(),
  /** Bumped on every change of this vehicle's binding (its compare-and-set). */
  version: z.number().int().min(1),
  updatedAt: Millis,
  updatedBy: z.string(),
});
export type StoredVehicleTerminals = z.infer<typeof StoredVehicleTerminals>;

/** A vehicle with its terminals as admins see them: never the key's hash, only whether there is a key. */
export const VehicleTerminalsView = z.object({
  ambulanceId: Id,
  callSign: z.string().nullable(),
  kind: z.string().nullable(),
  /** false: bound to an id the live state does not hold (a vehicle removed since). */
  onBoard: z.boolean(),
  jt808: Jt808Binding.nullable(),
  osmand: z.object({ deviceId: OsmandDeviceId, hasKey: z.boolean() }).nullable(),
  /** 0: never bound. */
  version: z.number().int().min(0),
  updatedAt: Millis.nullable(),
  updatedBy: z.string().nullable(),
});
export type VehicleTerminalsView = z.infer<typeof VehicleTerminalsView>;

/** A terminal that reported with an identity no vehicle holds, as the gateway or /osmand saw it last. */
export const UnknownTerminal = z.object({
  kind: TerminalKind,
  /** Exactly as it was sent (a JT/T 808 header's phone with its zeros, an OsmAnd id as given). */
  identity: z.string().min(1).max(64),
  firstSeen: Millis,
  lastSeen: Millis,
  remote: z.string().max(64),
  /** Messages seen from it (counted per process, written at most every few seconds). */
  messages: z.number().int().min(0),
  /** What it last sent: a JT/T 808 message id (0x0100 registration, 0x0102 authentication, 0x0200 location…) or `osmand`. */
  lastMessage: z.string().max(32),
  lastPosition: z.object({ lng: Lng, lat: Lat, at: Millis }).nullable(),
  /** What a JT/T 808 registration named. */
  terminalId: z.string().max(40).nullable(),
  plate: z.string().max(40).nullable(),
  /** An OsmAnd request carried a key (its SHA-256 is kept server-side, so binding may adopt it). */
  hasKey: z.boolean(),
});
export type UnknownTerminal = z.infer<typeof UnknownTerminal>;
/** As stored: with the SHA-256 of the key an unknown OsmAnd phone sent (never sent to a client). */
export type StoredUnknownTerminal = UnknownTerminal & { keyHash?: string };

/** What happens to a vehicle's OsmAnd key when its binding is saved. */
export const OsmandKeyChoice = z.enum(['keep', 'new', 'reported']);

/** PUT /api/vehicles/:id/terminals: the vehicle's terminals as they should be. */
export const BindTerminalsRequest = z.object({
  /** The binding's version the admin edited (0: it had none); another write since → 409. */
  version: z.number().int().min(0),
  jt808: Jt808Binding.nullable(),
  osmand: z
    .object({
      deviceId: OsmandDeviceId,
      /** keep: the key the device id had (on this or the vehicle it moves from); new: a key made now, answered once; reported: the key the unknown phone sent. */
      key: OsmandKeyChoice.default('keep'),
    })
    .nullable(),
  /** An identity bound to another vehicle moves from it (otherwise 409). */
  move: z.boolean().default(false),
});
export type BindTerminalsRequest = z.infer<typeof BindTerminalsRequest>;

/** POST /api/terminals/unknown/bind: an unknown terminal bound to a vehicle in one action. */
export const BindUnknownRequest = z.object({
  kind: TerminalKind,
  identity: z.string().min(1).max(64),
  ambulanceId: Id,
  move: z.boolean().default(false),
});
export type BindUnknownRequest = z.infer<typeof BindUnknownRequest>;

export const UnbindQuery = z.object({ version: z.coerce.number().int().min(1) });

/** A JT/T 808 phone as matched within its kind: without leading zeros (a binary `x…` identity is kept whole). */
export const jt808Key = (phone: string): string => (phone.startsWith('x') ? phone.toLowerCase() : phone.replace(/^0+/, ''));
