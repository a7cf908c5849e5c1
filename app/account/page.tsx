import { AccountView } from '@/components/account/AccountView';

export const metadata = { title: 'Account · lvs-dashboard' };

/** The signed-in person's account: role, password, sessions. */
export default function AccountPage() {
  return <AccountView />;
}
