"""Canned estimators: DNN and linear classifiers and regressors (TF 1.x estimator v1)."""
