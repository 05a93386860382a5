from .policy import POLICY

POLICY.register("follows")
