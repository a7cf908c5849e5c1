// The director registry's routes (admin only).
import { api } from '@/components/auth/api';
import type { DirectorConfigInput, DirectorConfigPatch, DirectorConfigView } from '@/lib/api/director-config';

export type { DirectorConfigView };

export const listDirectorConfigs = () => api('fleet:list', {});
export const addDirector = (body: DirectorConfigInput) => api('fleet:add', body);
export const changeDirector = (body: DirectorConfigPatch) => api('fleet:update', body);
export const removeDirector = (name: string) => api('fleet:remove', { name });
