// English labels for every enum the board shows.
import type { Dictionary } from '../dictionary.ts';

export const labels: Dictionary['labels'] = {
  role: {
    admin: 'Administrator',
    commander: 'Commander',
    dispatcher: '120 dispatcher',
    field: 'Sampling-point lead',
    wall: 'Wall display',
  },
  risk: {
    low: 'Low risk',
    medium: 'Medium risk',
    high: 'High risk',
    precaution: 'Precaution zone',
    controlled: 'Controlled zone',
    sealed: 'Sealed zone',
  },
  queueLevel: {
    smooth: 'Idle',
    busy: 'Moderate',
    congested: 'Crowded',
    resting: 'Closed',
  },
  samplingStatus: {
    open: 'Open',
    paused: 'Paused',
    closed: 'Closed',
  },
  samplingKind: {
    fixed: 'Fixed sampling point',
    convenience: 'Convenience sampling point',
    mobile: 'Mobile sampling vehicle',
  },
  serves: {
    all: 'Open to everyone',
    'key-groups': 'Key groups only',
  },
  hospitalRole: {
    designated: 'Designated hospital',
    reserve: 'Reserve designated hospital',
    makeshift: 'Makeshift hospital',
    'fever-clinic': 'Fever clinic',
  },
  hospitalMark: {
    designated: 'D',
    reserve: 'R',
    makeshift: 'M',
    'fever-clinic': 'F',
  },
  ambulanceKind: {
    'negative-pressure': 'Negative-pressure ambulance',
    ordinary: 'Ordinary ambulance',
  },
  ambulanceStatus: {
    available: 'Available',
    dispatched: 'Dispatched',
    'on-scene': 'On scene',
    transporting: 'Transporting',
    'handed-over': 'Handed over',
    disinfecting: 'Disinfecting',
    offline: 'Offline',
  },
};
