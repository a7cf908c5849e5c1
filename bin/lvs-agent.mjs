#!/usr/bin/env node
import '../dist/lvs-agent.mjs';
