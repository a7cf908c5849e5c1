-- A database made by lvs-dashboard 0.1.0, whose store constructors ran their own SQL (a 'migrations' table of
-- per-store versions), with a few rows in every table: `sqlite3 lvs-dashboard.db .dump` after adding two users, a
-- session, an audit row done and one pending, an automatic snapshot and five stats ticks through the stores.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE migrations (store TEXT PRIMARY KEY, version INTEGER NOT NULL);
INSERT INTO migrations VALUES('users',1);
INSERT INTO migrations VALUES('sessions',1);
INSERT INTO migrations VALUES('audit',3);
INSERT INTO migrations VALUES('snapshots',1);
INSERT INTO migrations VALUES('stats-history',1);
CREATE TABLE users (
         id INTEGER PRIMARY KEY,
         name TEXT NOT NULL UNIQUE,
         role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
         password_hash TEXT NOT NULL,
         created_at INTEGER NOT NULL,
         password_changed_at INTEGER NOT NULL
       );
INSERT INTO users VALUES(1,'admin','admin','scrypt$32768$8$1$ZkNOJGurBONQfIAdJNXAyQ$zY1hUFIgWCXNt552-n-lp6H86Mkfnz5Ivt8TBmdqPOk',1796042550861,1796042550861);
INSERT INTO users VALUES(2,'olga','operator','scrypt$32768$8$1$b4BuA2Hxy48dPuswp8HO2g$qWNyisDxTeVou1UG7GWDGfzvoqw66lrkX1RxOOJGOws',1796042551714,1796042551714);
CREATE TABLE sessions (
         id TEXT PRIMARY KEY,
         token_hash TEXT NOT NULL UNIQUE,
         user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
         created_at INTEGER NOT NULL,
         last_seen INTEGER NOT NULL,
         address TEXT NOT NULL,
         user_agent TEXT NOT NULL
       );
INSERT INTO sessions VALUES('qiDNCNYa5iTe','m46WSLBGH6cGkd-qWK8Ke5tpSufAl2Zea9zmg1UAbq4',1,1767225600000,1767225600000,'127.0.0.1','fixture');
CREATE TABLE audit (
         id INTEGER PRIMARY KEY,
         time INTEGER NOT NULL,
         user TEXT NOT NULL,
         source TEXT NOT NULL,
         director TEXT NOT NULL,
         operation TEXT NOT NULL,
         target TEXT NOT NULL,
         before_json TEXT NOT NULL,
         after_json TEXT NOT NULL,
         argv_json TEXT NOT NULL,
         status TEXT NOT NULL,
         error TEXT,
         finished_at INTEGER
       , note TEXT);
INSERT INTO audit VALUES(1,1767225600000,'admin','ui','lab','set-weight','tcp/10.1.0.10:80|10.2.0.11:80','{"weight":1}','{"weight":3}','[["ipvsadm","-e","-t","10.1.0.10:80","-r","10.2.0.11:80","-m","-w","3"]]','ok',NULL,1767225600000,NULL);
INSERT INTO audit VALUES(2,1767225600000,'admin','api','lab','apply','import','null','null','[]','pending',NULL,NULL,NULL);
CREATE TABLE snapshots (
         id INTEGER PRIMARY KEY,
         name TEXT NOT NULL,
         director TEXT NOT NULL,
         kind TEXT NOT NULL CHECK (kind IN ('manual', 'auto')),
         created_at INTEGER NOT NULL,
         created_by TEXT NOT NULL,
         services INTEGER NOT NULL,
         destinations INTEGER NOT NULL,
         rules TEXT NOT NULL
       );
INSERT INTO snapshots VALUES(1,'before import','lab','auto',1767225600000,'admin',1,1,replace('-A -t 10.1.0.10:80 -s wrr\n','\n',char(10)));
CREATE TABLE stats_series (id INTEGER PRIMARY KEY AUTOINCREMENT, director TEXT NOT NULL, name TEXT NOT NULL,
     last_seen INTEGER NOT NULL, UNIQUE (director, name));
INSERT INTO stats_series VALUES(1,'lab','tcp/10.1.0.10:80',1767225600000);
INSERT INTO stats_series VALUES(2,'lab','tcp/10.1.0.10:80|10.2.0.11:80',1767225600000);
CREATE TABLE stats_ticks (director TEXT NOT NULL, t INTEGER NOT NULL, PRIMARY KEY (director, t)) WITHOUT ROWID;
INSERT INTO stats_ticks VALUES('lab',1767225600000);
INSERT INTO stats_ticks VALUES('lab',1767225601000);
INSERT INTO stats_ticks VALUES('lab',1767225602000);
INSERT INTO stats_ticks VALUES('lab',1767225603000);
INSERT INTO stats_ticks VALUES('lab',1767225604000);
CREATE TABLE stats_raw (t INTEGER NOT NULL, series INTEGER NOT NULL, cps INTEGER NOT NULL, in_pps INTEGER NOT NULL, out_pps INTEGER NOT NULL, in_bps INTEGER NOT NULL, out_bps INTEGER NOT NULL, active INTEGER NOT NULL, inactive INTEGER NOT NULL, PRIMARY KEY (t, series)) WITHOUT ROWID;
INSERT INTO stats_raw VALUES(1767225600000,1,3,6,9,12,15,2,1);
INSERT INTO stats_raw VALUES(1767225600000,2,3,6,9,12,15,2,1);
INSERT INTO stats_raw VALUES(1767225601000,1,3,6,9,12,15,2,1);
INSERT INTO stats_raw VALUES(1767225601000,2,3,6,9,12,15,2,1);
INSERT INTO stats_raw VALUES(1767225602000,1,3,6,9,12,15,2,1);
INSERT INTO stats_raw VALUES(1767225602000,2,3,6,9,12,15,2,1);
INSERT INTO stats_raw VALUES(1767225603000,1,3,6,9,12,15,2,1);
INSERT INTO stats_raw VALUES(1767225603000,2,3,6,9,12,15,2,1);
INSERT INTO stats_raw VALUES(1767225604000,1,3,6,9,12,15,2,1);
INSERT INTO stats_raw VALUES(1767225604000,2,3,6,9,12,15,2,1);
CREATE TABLE stats_minute (t INTEGER NOT NULL, series INTEGER NOT NULL, n INTEGER NOT NULL, cps INTEGER NOT NULL, in_pps INTEGER NOT NULL, out_pps INTEGER NOT NULL, in_bps INTEGER NOT NULL, out_bps INTEGER NOT NULL, active INTEGER NOT NULL, inactive INTEGER NOT NULL, PRIMARY KEY (t, series)) WITHOUT ROWID;
INSERT INTO stats_minute VALUES(1767225600000,1,5,15,30,45,60,75,10,5);
INSERT INTO stats_minute VALUES(1767225600000,2,5,15,30,45,60,75,10,5);
CREATE TABLE stats_hour (t INTEGER NOT NULL, series INTEGER NOT NULL, n INTEGER NOT NULL, cps INTEGER NOT NULL, in_pps INTEGER NOT NULL, out_pps INTEGER NOT NULL, in_bps INTEGER NOT NULL, out_bps INTEGER NOT NULL, active INTEGER NOT NULL, inactive INTEGER NOT NULL, PRIMARY KEY (t, series)) WITHOUT ROWID;
INSERT INTO stats_hour VALUES(1767225600000,1,5,15,30,45,60,75,10,5);
INSERT INTO stats_hour VALUES(1767225600000,2,5,15,30,45,60,75,10,5);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('stats_series',2);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX audit_time ON audit(time);
CREATE INDEX audit_director ON audit(director, time);
CREATE INDEX audit_pending ON audit(director, id) WHERE status = 'pending';
CREATE INDEX audit_target ON audit(director, target, id);
CREATE INDEX snapshots_director ON snapshots(director, created_at);
COMMIT;
