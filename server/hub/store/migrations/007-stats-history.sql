-- keyed time first (t, series): writes append at the end of the B-tree, prunes delete from its start
CREATE TABLE stats_series (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  director TEXT NOT NULL,
  name TEXT NOT NULL,
  last_seen INTEGER NOT NULL,
  UNIQUE (director, name)
);
CREATE TABLE stats_ticks (director TEXT NOT NULL, t INTEGER NOT NULL, PRIMARY KEY (director, t)) WITHOUT ROWID;
CREATE TABLE stats_raw (
  t INTEGER NOT NULL, series INTEGER NOT NULL,
  cps INTEGER NOT NULL, in_pps INTEGER NOT NULL, out_pps INTEGER NOT NULL, in_bps INTEGER NOT NULL,
  out_bps INTEGER NOT NULL, active INTEGER NOT NULL, inactive INTEGER NOT NULL,
  PRIMARY KEY (t, series)
) WITHOUT ROWID;
CREATE TABLE stats_minute (
  t INTEGER NOT NULL, series INTEGER NOT NULL, n INTEGER NOT NULL,
  cps INTEGER NOT NULL, in_pps INTEGER NOT NULL, out_pps INTEGER NOT NULL, in_bps INTEGER NOT NULL,
  out_bps INTEGER NOT NULL, active INTEGER NOT NULL, inactive INTEGER NOT NULL,
  PRIMARY KEY (t, series)
) WITHOUT ROWID;
CREATE TABLE stats_hour (
  t INTEGER NOT NULL, series INTEGER NOT NULL, n INTEGER NOT NULL,
  cps INTEGER NOT NULL, in_pps INTEGER NOT NULL, out_pps INTEGER NOT NULL, in_bps INTEGER NOT NULL,
  out_bps INTEGER NOT NULL, active INTEGER NOT NULL, inactive INTEGER NOT NULL,
  PRIMARY KEY (t, series)
) WITHOUT ROWID;
