"""tf.make_template: variables created on the first call and shared by later ones, with TF's
scope and op names."""
import numpy as np
import pytest

import tfcompat as tf


def _scaled(x, scale=1.0):
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    return x * w * scale


def test_template_shares_variables_and_names_scopes_as_tf():
    with tf.Graph().as_default():
        template = tf.make_template("lin", _scaled, scale=2.0)
        first = template(tf.constant([1.0, 2.0]))
        second = template(tf.constant([3.0, 4.0]))
        assert (first.name, second.name) == ("lin/mul_1:0", "lin_1/mul_1:0")
        assert [v.name for v in tf.global_variables()] == ["lin/w:0"]
        assert [v.name for v in template.trainable_variables] == ["lin/w:0"]
        assert template.variable_scope_name == "lin" and template.name == "lin"
        now = tf.make_template("lin", _scaled, create_scope_now_=True)
        third, fourth = now(1.0), now(2.0)
        assert (third.name, fourth.name) == ("lin_1_1/mul_1:0", "lin_1_2/mul_1:0")
        assert [v.name for v in tf.global_variables()] == ["lin/w:0", "lin_1/w:0"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_allclose(sess.run(second), [6.0, 8.0])


def test_template_rejects_new_trainable_variables_after_the_first_call():
    with tf.Graph().as_default():
        template = tf.make_template("bad", lambda x: x * tf.Variable(1.0))
        template(1.0)
        with pytest.raises(ValueError, match="Trainable variable created when calling a "
                                             "template after the first time"):
            template(1.0)
        with pytest.raises(ValueError, match="name cannot be None"):
            tf.make_template(None, _scaled)
