"""Triton Python-backend reward model for PrefStream (KServe v2 / Triton gRPC).

Wraps a Skywork-Reward-V2-style ``AutoModelForSequenceClassification`` (one label): the scalar
logit at the last token is the reward. Shared by rm-best and rm-gold (rm-gold/1/model.py is a
symlink to this file); each model's ``config.pbtxt`` names its Hugging Face checkpoint.

Contract (what PrefStream's RewardModel facade sends and expects):
  input  ``text``   TYPE_STRING dims [1]  (metadata shape [-1, 1]): one conversation per batch item,
                    already rendered with the model's chat template by the client.
  output ``reward`` TYPE_FP32   dims [1]  (metadata shape [-1, 1]): one reward per item.

BOS: the client's template normally starts with the BOS token (Llama 3: ``<|begin_of_text|>``), as
``tokenizer.apply_chat_template`` renders it. Tokenizing that text with the default
``add_special_tokens=True`` would put a second BOS in front, which measurably shifts Skywork's
rewards; so special tokens are added only when the text does not already start with BOS.

config.pbtxt parameters (string values):
  hf_model               checkpoint id or local path (required)
  max_length             truncation length in tokens (default 16384)
  max_tokens_per_forward padded tokens per forward pass; larger batches are split (default 65536)
  attn_implementation    "sdpa" (default) or "flash_attention_2" when flash-attn is installed
"""

import json

import numpy as np
import torch
import triton_python_backend_utils as pb_utils
from transformers import AutoModelForSequenceClassification, AutoTokenizer

INPUT = "text"
OUTPUT = "reward"


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        params = {key: value["string_value"] for key, value in config.get("parameters", {}).items()}
        if "hf_model" not in params:
            raise pb_utils.TritonModelException(
                f"model {args['model_name']}: config.pbtxt must set parameter 'hf_model'")
        self.model_name = args["model_name"]
        self.max_length = int(params.get("max_length", "16384"))
        self.max_tokens_per_forward = int(params.get("max_tokens_per_forward", "65536"))
        if args["model_instance_kind"] == "GPU":
            self.device = torch.device(f"cuda:{args['model_instance_device_id']}")
        else:
            self.device = torch.device("cpu")

        self.tokenizer = AutoTokenizer.from_pretrained(params["hf_model"])
        self.tokenizer.padding_side = "right"
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.model = AutoModelForSequenceClassification.from_pretrained(
            params["hf_model"],
            torch_dtype=torch.bfloat16,
            num_labels=1,
            attn_implementation=params.get("attn_implementation", "sdpa"),
        ).to(self.device)
        self.model.config.pad_token_id = self.tokenizer.pad_token_id
        self.model.eval()
        self.bos = self.tokenizer.bos_token

    def execute(self, requests):
        # The dynamic batcher hands over several requests at once: score all their items together,
        # but give every request its own response (and its own error, if its input is bad).
        responses = [None] * len(requests)
        texts, owners = [], []
        for index, request in enumerate(requests):
            try:
                items = self._texts(request)
            except ValueError as error:
                responses[index] = pb_utils.InferenceResponse(error=pb_utils.TritonError(str(error)))
                continue
            texts.extend(items)
            owners.extend([index] * len(items))

        rewards = self._score(texts) if texts else np.zeros(0, dtype=np.float32)
        owners = np.asarray(owners, dtype=np.int64)
        for index in range(len(requests)):
            if responses[index] is None:
                mine = rewards[owners == index].reshape(-1, 1).astype(np.float32)
                responses[index] = pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor(OUTPUT, mine)])
        return responses

    def _texts(self, request):
        array = pb_utils.get_input_tensor_by_name(request, INPUT).as_numpy().reshape(-1)
        texts = []
        for position, element in enumerate(array):
            if isinstance(element, bytes):
                try:
                    element = element.decode("utf-8")
                except UnicodeDecodeError:
                    raise ValueError(f"{self.model_name}: text element {position} is not valid UTF-8")
            texts.append(str(element))
        return texts

    def _encode(self, text):
        add_bos = not (self.bos and text.startswith(self.bos))
        return self.tokenizer(text, add_special_tokens=add_bos, truncation=True,
                              max_length=self.max_length)["input_ids"]

    @torch.inference_mode()
    def _score(self, texts):
        encoded = [self._encode(text) for text in texts]
        # Longest first, grouped so that a forward pass stays within max_tokens_per_forward padded tokens.
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]), reverse=True)
        rewards = np.zeros(len(encoded), dtype=np.float32)
        start = 0
        while start < len(order):
            longest = len(encoded[order[start]])
            size = max(1, self.max_tokens_per_forward // max(longest, 1))
            group = order[start:start + size]
            batch = self.tokenizer.pad({"input_ids": [encoded[i] for i in group]}, return_tensors="pt")
            logits = self.model(input_ids=batch["input_ids"].to(self.device),
                                attention_mask=batch["attention_mask"].to(self.device)).logits
            rewards[group] = logits[:, 0].float().cpu().numpy()
            start += size
        return rewards

    def finalize(self):
        self.model = None
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
