"""Fine-tuning the local GGUF model with LoRA (optional extra: torch, peft, transformers, gguf)."""
