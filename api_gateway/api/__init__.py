"""The gateway's HTTP routers."""
