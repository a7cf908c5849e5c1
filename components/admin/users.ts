// The account routes (admin only).
import { api } from '@/components/auth/api';
import type { UserView } from '@/lib/api/contracts';
import type { Role } from '@/lib/roles';

export type { UserView };

export const listUsers = () => api('users:list', {});
export const addUser = (body: { name: string; password: string; role: Role }) => api('users:add', body);
export const changeUser = (name: string, patch: { role?: Role; password?: string }) =>
  api('users:update', { name, ...patch });
export const removeUser = (name: string) => api('users:remove', { name });
