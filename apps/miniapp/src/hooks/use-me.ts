import { getMe } from '../services/api';
import type { Me } from '../services/types';
import { useLoad } from './use-load';

export interface MeState {
  me: Me | null;
  error: string | null;
  isLoading: boolean;
  reload: () => void;
}

/** Loads `/me` once the page knows there is a session. */
export function useMe(isEnabled: boolean): MeState {
  const { data, error, isLoading, reload } = useLoad(getMe, isEnabled);
  return { me: data, error, isLoading, reload };
}
